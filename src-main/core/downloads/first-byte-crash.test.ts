import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyAsCrashed } from '../../test/crash-copy';
import { scriptedEngine } from '../../test/job-kit';
import type { DownloadRunner } from '../jobs/runner';
import { createCoreWithParts } from '../app';
import {
  fileSha256,
  makeContext,
  randomBody,
  settle,
  sha256,
  tempDir,
  testJob,
  testEngine,
  waitFor,
} from './test-context';
import { TestServer } from './test-server';

const server = TestServer.forFile();

/** The job core on `dataDir`, its downloads run by `downloadRunner`. */
const coreOn = (dataDir: string, downloadRunner: DownloadRunner) =>
  createCoreWithParts({
    dataDir,
    downloadDir: join(dataDir, 'dl'),
    runtime: 'headless',
    version: '1.0.0',
    downloadRunner,
  });

/** No periodic checkpoint during the test: only what is saved durably survives a SIGKILL. */
const engine = testEngine({ checkpointIntervalMs: 60_000 });

describe('a download killed before its first checkpoint', () => {
  it('comes back to its own name and part file: no ` (1)` copy, no orphan .part', async () => {
    const body = randomBody(2 * 1024 * 1024);
    for (const killAt of [1, 64 * 1024, 256 * 1024]) {
      server.file('/film.mp4', body, { rateLimit: 1024 * 1024 });
      const dir = await tempDir();
      const url = server.url('/film.mp4');
      const first = makeContext(testJob(url, dir));
      const from = server.log.length;
      const running = settle(engine(first.ctx));
      // Killed once the name is taken (the part file exists) and `killAt` bytes went out.
      const part = join(dir, 'film.mp4.part');
      expect(await waitFor(() => server.bytesServed(from) >= killAt && existsSync(part))).toBe(true);
      first.controller.abort('shutdown');
      await running;
      // What SQLite holds after a SIGKILL: the durable saves only.
      const kept = first.durable.at(-1) ?? null;
      expect(kept, `killed after ${killAt} bytes`).toMatchObject({ fileName: 'film.mp4', partName: 'film.mp4.part' });
      server.file('/film.mp4', body);
      const outcome = await engine(makeContext(testJob(url, dir), kept).ctx);
      expect(outcome.fileName).toBe('film.mp4');
      expect(await readdir(dir)).toEqual(['film.mp4']);
      expect(await fileSha256(outcome.path)).toBe(sha256(body));
      expect((await stat(join(dir, 'film.mp4'))).size).toBe(body.length);
    }
  });

  it('the job core makes the state and the name durable before it returns: a crash then finds them', async () => {
    const dir = await tempDir();
    const engineStub = scriptedEngine();
    const core = coreOn(dir, engineStub.runner);
    const crashed = await tempDir();
    let id: string;
    try {
      const [job] = core.jobs.submit({ url: 'https://files.example/a.bin' }).jobs;
      id = job!.id;
      const attempt = engineStub.attempts[0]!;
      attempt.context.saveState({ v: 1, fileName: 'a.bin', partName: 'a.bin.part' }, { fileName: 'a.bin' });
      copyAsCrashed(dir, crashed);
    } finally {
      await core.close();
    }
    const afterStub = scriptedEngine();
    const after = coreOn(crashed, afterStub.runner);
    try {
      expect(await waitFor(() => afterStub.attempts.length > 0)).toBe(true);
      const attempt = afterStub.attempts[0]!;
      expect(attempt.context.job.id).toBe(id);
      expect(attempt.context.job.fileName).toBe('a.bin');
      expect(attempt.context.resumeState).toMatchObject({ fileName: 'a.bin', partName: 'a.bin.part' });
    } finally {
      await after.close();
    }
  });
});
