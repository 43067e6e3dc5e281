import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { firstPieceBytes } from './first-response';
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
    // The trial's connections take the rest from the first piece's end: nothing was cut to
    // make room (their requests reach the server in any order). Splits later, as the last
    // pieces are shared, may still end an answer early: near the server that sends a few
    // bytes twice, far from it WorkPlan's budget bounds them.
    expect(requests.filter((r) => r.range?.startsWith(`bytes=${firstPieceBytes}-`))).toHaveLength(1);
    expect(requests.reduce((sum, r) => sum + r.bytes, 0) - body.length).toBeLessThanOrEqual(body.length / 100);
  });

  it('shares the file among connections when the server answers every range to its end', async () => {
    // Each connection reads its own piece and cuts the rest; before, such an answer read as
    // a server without ranges: one connection, or all of it again from byte 0.
    const body = randomBody(12 * 1024 * 1024);
    const { t, requests } = await download('/to-end.bin', body, {
      rangeToEnd: true,
      rateLimit: 2 * 1024 * 1024,
      stepBytes: 16 * 1024,
    });
    expect(Math.max(...t.progress.map((p) => p.connections ?? 0))).toBeGreaterThan(1);
    expect(requests.every((r) => r.status === 206 && r.range !== null)).toBe(true);
    expect(requests.filter((r) => r.range?.startsWith('bytes=0-'))).toHaveLength(1);
    expect(t.logs.join('\n')).not.toMatch(/starting over|does not honour range/);
    // What each cut leaves on its way: a few socket buffers, not the file again.
    expect(requests.reduce((sum, r) => sum + r.bytes, 0)).toBeLessThanOrEqual(body.length * 1.05);
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

describe("a resumed download's first request", () => {
  /** Pauses a download on one connection once part of it is saved: its folder and state. */
  async function paused(path: string, body: Buffer) {
    server.file(path, body, { rateLimit: 4 * 1024 * 1024 });
    const dir = await tempDir();
    const t = makeContext(testJob(server.url(path), dir, { connections: 1 }));
    const running = settle(engine(t.ctx));
    const kept = (): number => ((t.lastState()?.['segments'] ?? []) as number[][])[0]?.[2] ?? 0;
    expect(await waitFor(() => kept() >= 512 * 1024)).toBe(true);
    t.controller.abort('paused');
    expect(await running).toEqual({ ok: false, error: 'paused' });
    return { dir, state: t.lastState()!, kept: kept() };
  }

  it('asks for a piece of the missing bytes, and the trial takes the rest from where that answer ends', async () => {
    const body = randomBody(12 * 1024 * 1024);
    const { dir, state, kept } = await paused('/resumed-piece.bin', body);
    server.file('/resumed-piece.bin', body, { rateLimit: 2 * 1024 * 1024, stepBytes: 16 * 1024 });
    const from = server.log.length;
    const t = makeContext(testJob(server.url('/resumed-piece.bin'), dir, { connections: 8 }), state);
    const outcome = await engine(t.ctx);
    expect(await fileSha256(outcome.path)).toBe(sha256(body));
    const requests = server.log.slice(from);
    expect(Math.max(...t.progress.map((p) => p.connections ?? 0))).toBeGreaterThan(1);
    expect(requests[0]).toMatchObject({ range: `bytes=${kept}-${kept + firstPieceBytes - 1}`, status: 206 });
    // Nothing cut to make room for the trial's connections: the rest starts where that answer
    // ends (the step's requests reach the server in any order).
    expect(requests.filter((r) => r.range?.startsWith(`bytes=${kept + firstPieceBytes}-`))).toHaveLength(1);
    expect(server.bytesServed(from) - (body.length - kept)).toBeLessThanOrEqual(body.length / 100);
  });

  it('takes the rest of the file from a server that answers every range to its end', async () => {
    const body = randomBody(12 * 1024 * 1024);
    const { dir, state, kept } = await paused('/resumed-to-end.bin', body);
    server.file('/resumed-to-end.bin', body, { rangeToEnd: true, rateLimit: 16 * 1024 * 1024 });
    const from = server.log.length;
    const t = makeContext(testJob(server.url('/resumed-to-end.bin'), dir, { connections: 8 }), state);
    const outcome = await engine(t.ctx);
    expect(await fileSha256(outcome.path)).toBe(sha256(body));
    const requests = server.log.slice(from);
    expect(requests[0]).toMatchObject({ range: `bytes=${kept}-${kept + firstPieceBytes - 1}`, status: 206 });
    // Resumed where it stopped: nothing asked again from the start.
    expect(requests.every((r) => r.range !== null && !r.range.startsWith('bytes=0-'))).toBe(true);
    expect(t.logs.join('\n')).not.toMatch(/starting over/);
  });

  it('asks for all the missing bytes on one connection', async () => {
    const body = randomBody(6 * 1024 * 1024);
    const { dir, state, kept } = await paused('/resumed-one.bin', body);
    server.file('/resumed-one.bin', body);
    const from = server.log.length;
    const outcome = await engine(
      makeContext(testJob(server.url('/resumed-one.bin'), dir, { connections: 1 }), state).ctx,
    );
    expect(await fileSha256(outcome.path)).toBe(sha256(body));
    expect(server.log.slice(from)).toMatchObject([{ range: `bytes=${kept}-${body.length - 1}`, status: 206 }]);
  });
});
