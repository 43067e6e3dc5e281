import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResumeState } from '../jobs/runner';
import {
  fileSha256,
  makeContext,
  randomBody,
  settle,
  sha256,
  tempDir,
  testJob,
  waitFor,
  testEngine,
} from './test-context';
import { TestServer } from './test-server';

const server = TestServer.forFile();

const engine = testEngine({ minSegmentBytes: 128 * 1024, checkpointIntervalMs: 20 });

type Saved = [number, number, number][];

/**
 * What a system crash leaves: only the last synced checkpoint counts, and bytes
 * written after it may be lost. They are overwritten with garbage and the file is cut
 * short, the worst the disk could do.
 */
async function crashDamage(path: string, segments: Saved, cut: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    const size = (await handle.stat()).size;
    for (const [, end, pos] of segments) {
      const to = Math.min(end, size);
      if (to > pos) await handle.write(Buffer.alloc(to - pos, 0xee), 0, to - pos, pos);
    }
    const highest = Math.max(...segments.map(([, , pos]) => pos));
    await handle.truncate(Math.max(highest, Math.min(size, highest + cut)));
  } finally {
    await handle.close();
  }
}

describe('crash resume', () => {
  it('survives 10 crashes at random points: right hash, saved bytes never fetched again', async () => {
    const body = randomBody(8 * 1024 * 1024);
    // Slow enough that the ramp tries several connections.
    server.file('/crash.bin', body, { rateLimit: 3 * 1024 * 1024 });
    const dir = await tempDir();
    const url = server.url('/crash.bin');
    const rng = fc.sample(fc.double({ min: 0.02, max: 0.3, noNaN: true }), { numRuns: 10, seed: 42 });
    let state: ResumeState | null = null;
    let crashes = 0;
    let finished: string | null = null;
    const checks: (() => void)[] = [];
    for (const fraction of rng) {
      const t = makeContext(testJob(url, dir, { connections: 4 }), state);
      const from = server.log.length;
      const running = settle(engine(t.ctx));
      const reached = await waitFor(() => t.processing || server.bytesServed(from) >= fraction * body.length);
      expect(reached).toBe(true);
      if (t.processing) {
        // The bytes were all in before the crash point: this attempt ends the download.
        const result = await running;
        if (result.ok) finished = result.value.path;
        break;
      }
      // The crash: everything after the last periodic checkpoint is as if never saved.
      const kept = t.states.length;
      t.controller.abort('shutdown');
      await running;
      const last: ResumeState | null = t.states.slice(0, kept).at(-1) ?? state;
      if (!last) continue;
      const segments = last['segments'] as Saved;
      await crashDamage(join(dir, last['partName'] as string), segments, 64 * 1024);
      // The machine went down: offsets written in the old boot no longer count.
      const written = last['written'] as { boot: string } | undefined;
      state = written ? { ...last, written: { ...written, boot: 'a boot before the crash' } } : last;
      crashes += 1;
      // Every later request resumes (has a Range) and asks for nothing this state says is done.
      const next = server.log.length;
      checks.push(() => {
        for (const request of server.log.slice(next)) {
          const match = /bytes=(\d+)-(\d+)/.exec(request.range ?? '');
          expect(match).not.toBeNull();
          for (const [start, , pos] of segments) {
            expect(Number(match![2]) < start || Number(match![1]) >= pos).toBe(true);
          }
        }
      });
    }
    server.file('/crash.bin', body);
    const path = finished ?? (await engine(makeContext(testJob(url, dir, { connections: 4 }), state).ctx)).path;
    for (const check of checks) check();
    expect(crashes).toBeGreaterThanOrEqual(5);
    expect(await fileSha256(path)).toBe(sha256(body));
    expect((await stat(path)).size).toBe(body.length);
  });
});
