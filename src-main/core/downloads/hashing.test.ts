import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobFailure } from '../jobs/runner';
import { batchBytes } from './batch-pool';
import { createDownloadEngine } from './engine';
import { FileDigest } from './file-digest';
import { defaultHashWorkerFile, HashThread } from './hash-thread';
import { PartFile } from './part-file';
import { makeContext, randomBody, settle, sha256, tempDir, testJob, waitFor } from './test-context';
import { TestServer } from './test-server';

let server: TestServer;
beforeAll(async () => {
  server = await TestServer.start();
});
afterAll(async () => {
  await server.close();
});

const options = {
  proxy: null,
  minSegmentBytes: 64 * 1024,
  initialSegmentBytes: 512 * 1024,
  rampIntervalMs: 50,
  progressIntervalMs: 10,
  checkpointIntervalMs: 20,
};
const engine = createDownloadEngine(options);

describe('hashing on the hashing thread', () => {
  it('equals the sha256 of the file for a segmented download with steals', async () => {
    const body = randomBody(3 * 1024 * 1024 + 12345);
    server.file('/steal.bin', body, { rateLimit: 1024 * 1024 });
    const sha1 = createHash('sha1').update(body).digest('hex');
    const t = makeContext(
      testJob(server.url('/steal.bin'), await tempDir(), {
        connections: 6,
        checksum: { algorithm: 'sha1', value: sha1 },
      }),
    );
    const from = server.log.length;
    const outcome = await engine(t.ctx);
    expect(outcome.sha256).toBe(sha256(body));
    // Pieces on several connections: the hashed prefix was fed from several answers.
    expect(server.log.slice(from).filter((r) => r.status === 206).length).toBeGreaterThan(2);
  });

  it('equals the sha256 of the file after a pause and a resume mid-way', async () => {
    const body = randomBody(4 * 1024 * 1024);
    server.file('/pause.bin', body, { rateLimit: 4 * 1024 * 1024 });
    const dir = await tempDir();
    const url = server.url('/pause.bin');
    const first = makeContext(testJob(url, dir, { connections: 4 }));
    const running = settle(engine(first.ctx));
    expect(await waitFor(() => (first.progress.at(-1)?.receivedBytes ?? 0) > body.length / 3)).toBe(true);
    first.controller.abort('paused');
    expect((await running).ok).toBe(false);
    const second = makeContext(testJob(url, dir, { connections: 4 }), first.lastState());
    const outcome = await engine(second.ctx);
    expect(outcome.sha256).toBe(sha256(body));
  });

  it('fails the attempt as a transient error when the hashing thread crashes, without hanging', async () => {
    const dir = await tempDir();
    const crashing = join(dir, 'crashing-hash-worker.mjs');
    await writeFile(
      crashing,
      "import { parentPort } from 'node:worker_threads';\n" +
        "parentPort.on('message', (m) => { if (m.type === 'update') process.exit(3); });\n",
    );
    const body = randomBody(2 * 1024 * 1024);
    server.file('/crash-hash.bin', body);
    const crashEngine = createDownloadEngine({ ...options, hashWorkerFile: crashing });
    const t = makeContext(testJob(server.url('/crash-hash.bin'), dir, { connections: 1 }));
    const result = await settle(crashEngine(t.ctx));
    expect(result.ok).toBe(false);
    const error = (result as { error: unknown }).error;
    expect(error).toBeInstanceOf(JobFailure);
    expect(error).toMatchObject({ kind: 'internal', transient: true });
    expect((error as JobFailure).message).toMatch(/thread that hashes downloads stopped \(it exited with code 3\)/u);
  });

  it('rejects a digest whose thread died, and the next digest gets a fresh thread', async () => {
    const part = await PartFile.create(join(await tempDir(), 'd.part'));
    const body = randomBody(2 * batchBytes);
    await part.write([body], 0);
    const failures: unknown[] = [];
    const digest = new FileDigest(undefined, { onFailure: (error) => failures.push(error) });
    digest.follow(part, batchBytes);
    await HashThread.for(defaultHashWorkerFile()).terminate();
    await expect(digest.finish(part, body.length)).rejects.toMatchObject({ kind: 'internal', transient: true });
    expect(failures).toHaveLength(1);
    const again = new FileDigest(undefined);
    expect((await again.finish(part, body.length)).sha256).toBe(sha256(body));
    await part.close();
  });
});
