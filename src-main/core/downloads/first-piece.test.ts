import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { firstPieceBytes } from './first-response';
import { fileSha256, makeContext, randomBody, sha256, tempDir, testEngine, testJob } from './test-context';
import { TestServer } from './test-server';

const server = TestServer.forFile();
const engine = testEngine({ stallTimeoutMs: 10_000 });
const firstRange = `bytes=0-${firstPieceBytes - 1}`;

async function download(path: string, body: Buffer, faults: Parameters<TestServer['file']>[2], connections = 8) {
  server.file(path, body, faults);
  const dir = await tempDir();
  const t = makeContext(testJob(server.url(path), dir, { connections }));
  const from = server.log.length;
  const outcome = await engine(t.ctx);
  expect(await fileSha256(outcome.path)).toBe(sha256(body));
  return { outcome, t, dir, requests: server.log.slice(from) };
}

describe("a new download's first request", () => {
  it('asks for the first piece, and the trial takes the rest from where that answer ends', async () => {
    // 2 MiB/s a connection, sent steadily: more connections pay from the first window on.
    const body = randomBody(12 * 1024 * 1024);
    const { t, requests } = await download('/piece.bin', body, { rateLimit: 2 * 1024 * 1024, stepBytes: 16 * 1024 });
    expect(Math.max(...t.progress.map((p) => p.connections ?? 0))).toBeGreaterThan(1);
    expect(requests[0]).toMatchObject({ range: firstRange, status: 206 });
    // The trial's connection starts at the first piece's end: nothing was cut to make room.
    // (Splits later, as the last pieces are shared, may still end an answer early: near the
    // server that sends a few bytes twice, far from it WorkPlan's budget bounds them.)
    expect(requests[1]!.range).toMatch(new RegExp(`^bytes=${firstPieceBytes}-`));
    expect(requests.reduce((sum, r) => sum + r.bytes, 0) - body.length).toBeLessThanOrEqual(body.length / 100);
  });

  it('takes a file no larger than the first piece in that one answer', async () => {
    const body = randomBody(1024 * 1024);
    const { requests, outcome } = await download('/small.bin', body, {});
    expect(requests).toMatchObject([{ range: firstRange, status: 206, bytes: body.length }]);
    expect(outcome.totalBytes).toBe(body.length);
  });

  it('asks again without a range when the file is empty (a 416), and saves the empty file', async () => {
    const { requests, outcome, dir } = await download('/empty.bin', Buffer.alloc(0), {});
    expect(requests).toMatchObject([
      { range: firstRange, status: 416 },
      { range: null, status: 200 },
    ]);
    expect(outcome.totalBytes).toBe(0);
    expect(await readdir(dir)).toEqual(['empty.bin']);
  });

  it('asks plainly on one connection: no piece to leave to others', async () => {
    const body = randomBody(6 * 1024 * 1024);
    const { requests } = await download('/one.bin', body, {}, 1);
    expect(requests).toMatchObject([{ range: null, status: 200, bytes: body.length }]);
  });
});
