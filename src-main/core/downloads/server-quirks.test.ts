import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobFailure } from '../jobs/runner';
import { encodeState } from './resume-state';
import {
  fileSha256,
  idleThread,
  makeContext,
  randomBody,
  settle,
  sha256,
  tempDir,
  testEngine,
  testJob,
  waitFor,
} from './test-context';
import { TestServer, type Faults } from './test-server';

const server = TestServer.forFile();

/**
 * A busy machine must not trip the stall timer, nor keep the ramp from trying more
 * connections (it tries none while the main thread is busy), in tests not about either.
 */
const quirkEngine = (overrides: Parameters<typeof testEngine>[0] = {}) =>
  testEngine({ stallTimeoutMs: 5000, loopTime: idleThread, ...overrides });
const engine = quirkEngine();
/**
 * Opens all the connections a download may have in its first trial: a trial of two and a
 * later step to four was not always taken on a busy machine, and a test that needs the
 * server to see several requests then saw two.
 */
const allAtOnce = quirkEngine({ trialBytes: 256 * 1024 });
const mib = 1024 * 1024;
/** Throttled (4 s for 2 MiB on one connection), so that the ramp opens more connections. */
const throttled: Faults = { rateLimit: mib / 2 };

async function download(path: string, body: Buffer, faults: Parameters<TestServer['file']>[2], use = engine) {
  server.file(path, body, faults);
  const dir = await tempDir();
  const t = makeContext(testJob(server.url(path), dir, { connections: 4 }));
  const from = server.log.length;
  const result = await settle(use(t.ctx));
  return { result, t, dir, requests: server.log.slice(from) };
}

/** The file on disk and the reported hash are both `expected`'s. */
async function expectFile(result: Awaited<ReturnType<typeof download>>['result'], expected: Buffer) {
  if (!result.ok) throw result.error;
  expect(result.value.totalBytes).toBe(expected.length);
  expect(result.value.sha256).toBe(sha256(expected));
  expect(await fileSha256(result.value.path)).toBe(sha256(expected));
}

/** Range requests after the first answer get `later` (the first is a plain, throttled 200). */
const rangesGet =
  (later: Faults): Parameters<TestServer['file']>[2] =>
  (index, request) =>
    index > 0 && request.headers.range ? { ...throttled, ...later } : throttled;

describe('a server whose range answers cannot be taken at their word', () => {
  it('never mixes two versions of a file whose weak ETag changes', async () => {
    const first = randomBody(2 * mib);
    const second = randomBody(2 * mib);
    const { result, t, requests } = await download('/weak-change.bin', first, (index) =>
      index === 0 ? { ...throttled, etag: 'weak' } : { ...throttled, body: second, etagValue: 'W/"v2"' },
    );
    expect(requests.some((r) => r.range !== null)).toBe(true);
    expect(t.logs.join('\n')).toMatch(/changed on the server/u);
    await expectFile(result, second);
  });

  it('does not cut the file short when range answers say it is smaller than the first answer did', async () => {
    const body = randomBody(2 * mib);
    const { result, requests } = await download('/smaller-total.bin', body, rangesGet({ totalDelta: -1000 }));
    expect(requests.some((r) => r.status === 206)).toBe(true);
    await expectFile(result, body);
  });

  it('finishes on one connection when range answers say the file is larger', async () => {
    const body = randomBody(2 * mib);
    const { result, t } = await download('/larger-total.bin', body, rangesGet({ totalDelta: 1000 }));
    await expectFile(result, body);
    // Said once, however many connections found it.
    expect(t.logs.filter((line) => /does not honour range requests/u.test(line))).toHaveLength(1);
  });

  it('finishes on one connection when every range inside the file is refused with 416', async () => {
    const body = randomBody(2 * mib);
    const { result, requests } = await download('/refused-ranges.bin', body, rangesGet({ refuseRanges: true }));
    expect(requests.some((r) => r.status === 416)).toBe(true);
    await expectFile(result, body);
  });

  it('takes a 206 that covers the whole file as the answer to a plain request', async () => {
    // On one connection the first request is a plain one (no first piece to ask for).
    const body = randomBody(256 * 1024);
    server.file('/always-206.bin', body, { alwaysRange: true });
    const t = makeContext(testJob(server.url('/always-206.bin'), await tempDir(), { connections: 1 }));
    const from = server.log.length;
    const result = await settle(engine(t.ctx));
    expect(server.log.slice(from)).toMatchObject([{ range: null, status: 206 }]);
    await expectFile(result, body);
  });

  it('asks again from where an answer ended when each range answer is capped, however many it takes', async () => {
    const body = randomBody(2 * mib);
    server.file('/capped.bin', body, (index) => (index === 0 ? { closeAfter: 64 * 1024 } : { capRange: 16 * 1024 }));
    const dir = await tempDir();
    const t = makeContext(testJob(server.url('/capped.bin'), dir, { connections: 1 }));
    const from = server.log.length;
    const result = await settle(engine(t.ctx));
    // Far more than the 32 short answers in a row a connection may have.
    expect(server.log.length - from).toBeGreaterThan(100);
    await expectFile(result, body);
  });
});

describe('a server that limits how many connections a client opens', () => {
  it.each([503, 429])('goes on with the connections it takes when it answers %i to more', async (status) => {
    const body = randomBody(2 * mib);
    const { result, t, requests } = await download(
      `/limit-${status}.bin`,
      body,
      { ...throttled, maxConcurrent: 2, overLimit: status },
      allAtOnce,
    );
    const refused = requests.filter((r) => r.status === status).length;
    expect(refused).toBeGreaterThan(0);
    // Refused once each, the two extra connections are not asked for again, and the
    // download goes on with the two the server takes.
    expect(refused).toBeLessThanOrEqual(2);
    const goingOn = t.logs.filter((line) => line.includes(`${status} `) && line.includes('going on with'));
    expect(goingOn.at(-1)).toMatch(/going on with 2\./u);
    await expectFile(result, body);
  });

  it('takes the connections back that another download from the server no longer uses', async () => {
    // Two downloads share a server that serves four answers at once: the first holds up
    // to two, the second is refused beyond the rest. Once the first is stopped, the
    // second tries one connection more at a time, until the server refuses one again.
    const body = randomBody(3 * mib);
    server.file('/shared.bin', body, { ...throttled, maxConcurrent: 4 });
    const use = quirkEngine({ recoverAfterMs: 200 });
    const dirs = await Promise.all([tempDir(), tempDir()]);
    const first = makeContext(testJob(server.url('/shared.bin'), dirs[0], { connections: 2 }));
    const second = makeContext(testJob(server.url('/shared.bin'), dirs[1], { connections: 8 }));
    const stopped = settle(use(first.ctx));
    expect(await waitFor(() => first.progress.some((p) => p.receivedBytes > 0), 300)).toBe(true);
    const finished = settle(use(second.ctx));
    const goingOn = (logs: string[]) =>
      logs.flatMap((line) => /going on with (\d+)\./u.exec(line)?.[1] ?? []).map(Number);
    // The refusals come one answer at a time: until none has come for 100 ms.
    let seen = 0;
    let quiet = 0;
    const settled = await waitFor(() => {
      const count = goingOn(second.logs).length;
      quiet = count > 0 && count === seen ? quiet + 1 : 0;
      seen = count;
      return quiet >= 10;
    }, 300);
    expect(settled).toBe(true);
    expect(goingOn(second.logs).at(-1)).toBeLessThan(4);
    const stoppedAt = second.logs.length;
    first.controller.abort('paused');
    expect((await stopped).ok).toBe(false);
    await expectFile(await finished, body);
    const after = second.logs.slice(stoppedAt);
    expect(after).toContain('Trying 4 connections again.');
    // Each fifth was refused with the four it had taken running.
    expect(after).toContain('Trying 5 connections again.');
    expect(goingOn(after).length).toBeGreaterThan(0);
    expect(goingOn(after).every((n) => n === 4)).toBe(true);
  });

  it('ends a connection the server leaves unanswered while the others bring bytes', async () => {
    const body = randomBody(2 * mib);
    const { result, t, requests } = await download(
      '/hold.bin',
      body,
      (index) => (index === 1 ? { hold: true } : throttled),
      quirkEngine({ stallTimeoutMs: 800 }),
    );
    expect(requests[1]!.range).not.toBeNull();
    await expectFile(result, body);
    expect(t.logs.join('\n')).toMatch(
      /(sent no data for 0\.8 s|stopped sending data|did not answer in time).*going on with/u,
    );
  });

  it('carries on with the first connection when every extra one is refused, and fails when it is refused too', async () => {
    const body = randomBody(2 * mib);
    const { result } = await download('/limit-all.bin', body, rangesGet({ status: 503 }));
    await expectFile(result, body);
    const cut = await download('/limit-cut.bin', body, (index) =>
      index === 0 ? { ...throttled, closeAfter: mib / 2 } : { status: 503 },
    );
    expect(cut.result.ok).toBe(false);
    expect((cut.result as { error: unknown }).error).toMatchObject({ kind: 'http', status: 503 });
  });

  it('goes on without a connection whose range request gets the whole file, once the server took ranges', async () => {
    // 6 MiB: the first answer is a 4 MiB piece, a range the server honoured.
    const body = randomBody(6 * mib);
    const paced: Faults = { rateLimit: 2 * mib };
    const { result, t, requests } = await download(
      '/one-backend-without-ranges.bin',
      body,
      (index) => (index === 2 ? { ...paced, ignoreRanges: true } : paced),
      allAtOnce,
    );
    await expectFile(result, body);
    expect(requests[0]).toMatchObject({ range: 'bytes=0-4194303', status: 206 });
    expect(requests[2]).toMatchObject({ status: 200 });
    // Cut as its head came (it announced the whole file), not read for the connection's sake.
    expect(requests[2]!.bytes).toBeLessThan(256 * 1024);
    expect(t.logs.join('\n')).toMatch(/answered a range request with the whole file\): going on with \d/u);
    // Not started over: every later request asked for a range, and no byte came twice.
    expect(requests.slice(1).every((r) => r.range !== null)).toBe(true);
    const sent = requests.reduce((sum, r) => sum + r.bytes, 0);
    expect(sent - requests[2]!.bytes).toBeLessThanOrEqual(body.length);
  });

  it('takes a resumed range as the server taking ranges', async () => {
    // The part file holds the first MiB; the resume asks from there (a piece of 4 MiB).
    const body = randomBody(5 * mib);
    const path = '/resumed-one-backend.bin';
    const paced: Faults = { rateLimit: 2 * mib };
    server.file(path, body, (index) => (index === 1 ? { ...paced, ignoreRanges: true } : paced));
    const dir = await tempDir();
    await writeFile(join(dir, 'resumed.bin.part'), body.subarray(0, mib));
    const saved = encodeState({
      fileName: 'resumed.bin',
      partName: 'resumed.bin.part',
      url: server.url(path),
      totalBytes: body.length,
      etag: '"v1"',
      lastModified: null,
      contentType: null,
      resumable: true,
      segments: [{ start: 0, end: body.length, pos: mib }],
    });
    const t = makeContext(testJob(server.url(path), dir, { connections: 4 }), saved);
    const from = server.log.length;
    const result = await settle(allAtOnce(t.ctx));
    const requests = server.log.slice(from);
    await expectFile(result, body);
    expect(requests[0]).toMatchObject({ range: `bytes=${mib}-${5 * mib - 1}`, status: 206 });
    expect(requests[1]).toMatchObject({ status: 200 });
    expect(t.logs.join('\n')).toMatch(/answered a range request with the whole file\): going on with \d/u);
    expect(requests.every((r) => r.range !== null)).toBe(true);
  });

  it('starts over on one connection when the last connection left gets the whole file for a range', async () => {
    const body = randomBody(5 * mib);
    const paced: Faults = { rateLimit: 4 * mib };
    // Every range after the first piece: each extra connection ends alone, and the first
    // connection, the last left, asks for the rest once its piece is in.
    const { result, t, requests } = await download('/no-more-ranges.bin', body, (index) =>
      index >= 1 ? { ...paced, ignoreRanges: true } : paced,
    );
    await expectFile(result, body);
    expect(requests[0]).toMatchObject({ range: 'bytes=0-4194303', status: 206 });
    expect(t.logs.join('\n')).toMatch(/starting over on one connection/u);
  });
});

describe('a signed address a redirect led to', () => {
  it('is refused as worth another attempt, which asks the original address again and resumes', async () => {
    const body = randomBody(2 * mib);
    server.redirect('/release.bin', '/signed.bin');
    // The signature expires after the first answer: later requests there are refused.
    server.file('/signed.bin', body, (index) => (index === 0 ? { closeAfter: mib } : { status: 403 }));
    const dir = await tempDir();
    const t = makeContext(testJob(server.url('/release.bin'), dir, { connections: 1 }));
    const first = await settle(engine(t.ctx));
    expect(first.ok).toBe(false);
    const failure = (first as { error: unknown }).error as JobFailure;
    expect(failure).toBeInstanceOf(JobFailure);
    expect(failure).toMatchObject({ kind: 'http', status: 403, transient: true });
    expect(failure.message).toMatch(/redirected to, which may have expired/u);

    // A fresh signature at the next attempt.
    server.file('/signed.bin', body, {});
    const from = server.log.length;
    const again = makeContext(testJob(server.url('/release.bin'), dir, { connections: 1 }), t.lastState());
    const second = await settle(engine(again.ctx));
    await expectFile(second, body);
    expect(server.log[from]!.path).toBe('/release.bin');
    expect(server.bytesServed(from)).toBeLessThan(body.length);
  });
});
