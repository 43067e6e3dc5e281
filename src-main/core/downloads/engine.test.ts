import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobFailure } from '../jobs/runner';
import { fileSha256, makeContext, randomBody, sha256, tempDir, testJob, testEngine } from './test-context';
import { TestServer } from './test-server';

const server = TestServer.forFile();

const engine = testEngine();

describe('download engine: plain downloads', () => {
  it('downloads a file whose SHA-256 equals the source, under its URL name', async () => {
    const body = randomBody(3 * 1024 * 1024 + 17);
    server.file('/plain/data.bin', body);
    const dir = await tempDir();
    const t = makeContext(testJob(server.url('/plain/data.bin'), dir));
    const outcome = await engine(t.ctx);
    expect(outcome.fileName).toBe('data.bin');
    expect(outcome.path).toBe(join(dir, 'data.bin'));
    expect(outcome.totalBytes).toBe(body.length);
    expect(outcome.sha256).toBe(sha256(body));
    expect(await fileSha256(outcome.path)).toBe(sha256(body));
    expect(t.processing).toBe(true);
    expect(await readdir(dir)).toEqual(['data.bin']);
  });

  it('downloads small files one after another on one kept-alive connection', async () => {
    const bodies = [1, 2, 3, 4, 5].map((n) => randomBody(n * 10_000));
    bodies.forEach((body, n) => server.file(`/small/${n}.bin`, body));
    const dir = await tempDir();
    const before = server.connections;
    for (const [n, body] of bodies.entries()) {
      const outcome = await engine(makeContext(testJob(server.url(`/small/${n}.bin`), dir)).ctx);
      expect(outcome.sha256).toBe(sha256(body));
    }
    // One new connection at most (an earlier test's may still be open for reuse); before,
    // each file's answer was cut at its last byte and closed its connection.
    expect(server.connections - before).toBeLessThanOrEqual(1);
  });

  it('fails a 404 permanently with a clear message', async () => {
    const dir = await tempDir();
    const t = makeContext(testJob(server.url('/nothing-here'), dir));
    const error = await engine(t.ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailure);
    expect((error as JobFailure).transient).toBe(false);
    expect((error as JobFailure).status).toBe(404);
    expect((error as JobFailure).message).toMatch(/The server answered 404 Not Found/);
  });
});
