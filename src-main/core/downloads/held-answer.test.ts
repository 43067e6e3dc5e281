import { readdirSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { DownloadContext, JobFailure } from '../jobs/runner';
import { diskFailure } from './failures';
import { PartFile } from './part-file';
import {
  fileSha256,
  makeContext,
  randomBody,
  settle,
  sha256,
  tempDir,
  testEngine,
  testJob,
  waitFor,
} from './test-context';
import { TestServer } from './test-server';

const server = TestServer.forFile();

const engine = testEngine({ checkpointIntervalMs: 200 });
const served = (path: string) => server.log.filter((r) => r.path === path);

/** A file of `size` random bytes served at `/held/<name>`, and a job downloading it into a new folder. */
async function heldFile(name: string, size: number, options: Parameters<TestServer['file']>[2] = {}) {
  const body = randomBody(size);
  server.file(`/held/${name}`, body, options);
  const dir = await tempDir();
  return { body, dir, job: testJob(server.url(`/held/${name}`), dir) };
}

/** `ctx`, calling `after` once each durable save is made. */
function afterDurableSaves(ctx: DownloadContext, after: () => void): DownloadContext {
  return {
    ...ctx,
    saveState: (state, durable) => {
      ctx.saveState(state, durable);
      if (durable) after();
    },
  };
}

describe('a small answer held in memory until its bytes are in', () => {
  it('says no partial file was kept when the disk refuses its bytes at the end', async () => {
    const { body, dir, job } = await heldFile('full.bin', 100 * 1024);
    const full = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    const write = vi.spyOn(PartFile.prototype, 'write').mockImplementation(function (this: PartFile) {
      return Promise.reject(diskFailure(full, this.path));
    });
    try {
      const result = await settle(engine(makeContext(job).ctx));
      expect(result.ok).toBe(false);
      const failure = (result as { error: JobFailure }).error;
      expect(failure.message).toBe(`The disk is full (${dir}/full.bin.part). Fix this and try again.`);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      write.mockRestore();
    }
    // With room again, the next attempt has it all.
    const outcome = await engine(makeContext(job).ctx);
    expect(outcome.sha256).toBe(sha256(body));
  });

  it('claims its name once, with what it publishes, before any file of it exists', async () => {
    const { body, dir, job } = await heldFile('one.bin', 100 * 1024);
    const t = makeContext(job);
    // The folder as it was at each durable save.
    const folders: string[][] = [];
    const outcome = await engine(afterDurableSaves(t.ctx, () => folders.push(readdirSync(dir))));
    expect(outcome).toMatchObject({ fileName: 'one.bin', totalBytes: body.length, sha256: sha256(body) });
    expect(await fileSha256(join(dir, 'one.bin'))).toBe(sha256(body));
    expect(await readdir(dir)).toEqual(['one.bin']);
    // One save in all: the claim, durable, with the publishing record, and no file yet.
    expect(t.states).toHaveLength(1);
    expect(t.durable).toHaveLength(1);
    expect(t.durable[0]).toMatchObject({
      fileName: 'one.bin',
      partName: 'one.bin.part',
      publishing: { fileName: 'one.bin', totalBytes: body.length, sha256: sha256(body) },
    });
    expect(folders).toEqual([[]]);
  });

  it('after a crash past the claim, finds the published file, or fetches again under the claimed name', async () => {
    const { body, dir, job } = await heldFile('crash.bin', 64 * 1024);
    const first = makeContext(job);
    const outcome = await engine(first.ctx);
    const claim = first.durable[0]!;
    // Killed after publishing, before the job recorded `completed`: nothing is fetched.
    const before = served('/held/crash.bin').length;
    expect(await engine(makeContext(job, claim).ctx)).toEqual(outcome);
    expect(served('/held/crash.bin')).toHaveLength(before);
    // Killed before publishing, with a part file half written: fetched again, same name.
    await writeFile(join(dir, 'crash.bin'), 'not this'); // the name is now someone else's
    await writeFile(join(dir, 'crash.bin.part'), body.subarray(0, 1000));
    const again = await engine(makeContext(job, claim).ctx);
    expect(served('/held/crash.bin')).toHaveLength(before + 1);
    expect(again.fileName).toBe('crash (1).bin');
    expect(await fileSha256(join(dir, 'crash (1).bin'))).toBe(sha256(body));
    expect((await readdir(dir)).sort()).toEqual(['crash (1).bin', 'crash.bin']);
  });

  it('claims a taken name without looking it up, publishes beside it as name (1), and finds it there after a crash', async () => {
    const { body, dir, job } = await heldFile('taken.bin', 64 * 1024);
    await writeFile(join(dir, 'taken.bin'), 'the user file');
    const t = makeContext(job);
    const outcome = await engine(t.ctx);
    expect(outcome.fileName).toBe('taken (1).bin');
    expect(await fileSha256(join(dir, 'taken (1).bin'))).toBe(sha256(body));
    expect(await readFile(join(dir, 'taken.bin'), 'utf8')).toBe('the user file');
    expect((await readdir(dir)).sort()).toEqual(['taken (1).bin', 'taken.bin']);
    // One claim, of the name as it was asked for; publishing numbered it.
    expect(t.durable).toHaveLength(1);
    expect(t.durable[0]).toMatchObject({ fileName: 'taken.bin', publishing: { fileName: 'taken.bin' } });
    // Killed after publishing, before the job recorded `completed`: found, not fetched.
    const before = served('/held/taken.bin').length;
    expect(await engine(makeContext(job, t.durable[0]).ctx)).toEqual(outcome);
    expect(served('/held/taken.bin')).toHaveLength(before);
  });

  it('moves to a part file once it takes longer than a checkpoint interval, and resumes from there', async () => {
    const { body, dir, job } = await heldFile('slow.bin', 200 * 1024, { rateLimit: 100 * 1024 });
    const t = makeContext(job);
    const running = settle(engine(t.ctx));
    const resumable = () => {
      const segments = t.lastState()?.['segments'] as [number, number, number][] | undefined;
      return (segments?.[0]?.[2] ?? 0) > 0;
    };
    expect(await waitFor(resumable, 300)).toBe(true);
    t.controller.abort('paused');
    expect((await running).ok).toBe(false);
    expect(await readdir(dir)).toEqual(['slow.bin.part']);
    // The claim holds the name only: nothing is published until the bytes are all in.
    expect(t.durable).toHaveLength(1);
    expect(t.durable[0]).not.toHaveProperty('publishing');

    server.file('/held/slow.bin', body);
    const outcome = await engine(makeContext(job, t.lastState()).ctx);
    expect(outcome.sha256).toBe(sha256(body));
    expect(served('/held/slow.bin').at(-1)!.range).toMatch(/^bytes=[1-9]\d*-/);
    expect(await readdir(dir)).toEqual(['slow.bin']);
  });

  it('a stop while the claimed file is written leaves no file, and the next attempt takes the same name', async () => {
    const { body, dir, job } = await heldFile('paused.bin', 80 * 1024);
    const t = makeContext(job);
    // Paused the moment the name is claimed: the part file is then written and synced.
    const ctx = afterDurableSaves(t.ctx, () => t.controller.abort('paused'));
    expect(await settle(engine(ctx))).toEqual({ ok: false, error: 'paused' });
    expect(await readdir(dir)).toEqual([]);
    const again = await engine(makeContext(job, t.lastState()).ctx);
    expect(again.fileName).toBe('paused.bin');
    expect(await fileSha256(join(dir, 'paused.bin'))).toBe(sha256(body));
    expect(await readdir(dir)).toEqual(['paused.bin']);
  });

  it('a stop while the bytes are held leaves no file and saves nothing', async () => {
    const { dir, job } = await heldFile('stopped.bin', 200 * 1024, { rateLimit: 50 * 1024 });
    const t = makeContext(job);
    const running = settle(testEngine({ checkpointIntervalMs: 60_000 })(t.ctx));
    expect(await waitFor(() => (t.progress.at(-1)?.receivedBytes ?? 0) > 0)).toBe(true);
    t.controller.abort('paused');
    expect(await running).toEqual({ ok: false, error: 'paused' });
    expect(await readdir(dir)).toEqual([]);
    expect(t.states).toEqual([]);
  });

  it('fails a checksum mismatch without leaving a file', async () => {
    server.file('/held/bad.bin', randomBody(5000));
    const dir = await tempDir();
    const t = makeContext(
      testJob(server.url('/held/bad.bin'), dir, { checksum: { algorithm: 'md5', value: 'AB'.repeat(16) } }),
    );
    const result = await settle(engine(t.ctx));
    expect(result.ok === false && result.error).toMatchObject({ kind: 'checksum', transient: false });
    expect(await readdir(dir)).toEqual([]);
    expect(t.states).toEqual([]);
  });

  it.each([256 * 1024, 0])('publishes an empty answer as an empty file (held up to %i bytes)', async (held) => {
    const { dir, job } = await heldFile('empty.txt', 0);
    const t = makeContext(job);
    const outcome = await testEngine({ heldAnswerBytes: held })(t.ctx);
    expect(outcome).toMatchObject({ fileName: 'empty.txt', totalBytes: 0, sha256: sha256(Buffer.alloc(0)) });
    expect(await readdir(dir)).toEqual(['empty.txt']);
    expect(await fileSha256(outcome.path)).toBe(sha256(Buffer.alloc(0)));
  });

  it('leaves larger answers, and every answer when turned off, to the part file as it comes', async () => {
    const { body, job } = await heldFile('off.bin', 64 * 1024);
    const t = makeContext(job);
    await testEngine({ heldAnswerBytes: 0 })(t.ctx);
    // The claim (name only) comes first, then the state with what is published.
    expect(t.durable).toHaveLength(1);
    expect(t.durable[0]).not.toHaveProperty('publishing');
    expect(t.states.at(-1)).toMatchObject({ publishing: { fileName: 'off.bin', sha256: sha256(body) } });

    const large = makeContext((await heldFile('large.bin', 257 * 1024)).job);
    await testEngine()(large.ctx);
    expect(large.durable[0]).not.toHaveProperty('publishing');
  });
});
