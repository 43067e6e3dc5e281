import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type JobFailure } from '../jobs/runner';
import { createDownloadEngine } from './engine';
import { createRateLimiter } from './rate-limiter';
import { whyNotMade } from './target-folder';
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

const engine = testEngine({ checkpointIntervalMs: 20 });

/** Starts a download and stops it with `reason` once the server has sent `after` bytes. */
async function stopMidway(path: string, dir: string, reason: string, after: number, connections = 1) {
  const t = makeContext(testJob(server.url(path), dir, { connections }));
  const from = server.log.length;
  const running = settle(engine(t.ctx));
  // Bytes the server sent may still be in flight: stop only once some of them were also
  // written and checkpointed, so the test never depends on how busy the machine is.
  const saved = () => {
    const segments = (t.lastState()?.['segments'] ?? []) as number[][];
    return segments.reduce((sum, [start, , pos]) => sum + (pos ?? 0) - (start ?? 0), 0);
  };
  expect(await waitFor(() => server.bytesServed(from) >= after && saved() > 0)).toBe(true);
  t.controller.abort(reason);
  return { t, result: await running };
}

describe('pause, resume, cancel', () => {
  it('pause keeps the part file; resume fetches only the remaining bytes', async () => {
    const body = randomBody(1024 * 1024);
    server.file('/pause.bin', body, { rateLimit: 2 * 1024 * 1024 });
    const dir = await tempDir();
    const { t, result } = await stopMidway('/pause.bin', dir, 'paused', 200 * 1024);
    expect(result).toEqual({ ok: false, error: 'paused' });
    expect(await readdir(dir)).toEqual(['pause.bin.part']);
    const state = t.lastState();
    expect(state).not.toBeNull();
    const saved = (state!['segments'] as number[][])[0]!;
    expect(saved[2]).toBeGreaterThan(0);

    server.file('/pause.bin', body);
    const from = server.log.length;
    const second = makeContext(testJob(server.url('/pause.bin'), dir, { connections: 1 }), state);
    const outcome = await engine(second.ctx);
    expect(await fileSha256(outcome.path)).toBe(sha256(body));
    const requests = server.log.slice(from);
    expect(requests[0]!.range).toBe(`bytes=${saved[2]}-${body.length - 1}`);
    expect(requests[0]!.ifRange).toBe('"v1"');
    expect(server.bytesServed(from)).toBe(body.length - saved[2]!);
  });

  it('resumes a segmented download with every saved segment kept', async () => {
    const body = randomBody(2 * 1024 * 1024);
    server.file('/pause-multi.bin', body, { rateLimit: 2 * 1024 * 1024 });
    const dir = await tempDir();
    const { t } = await stopMidway('/pause-multi.bin', dir, 'shutdown', 600 * 1024, 4);
    const state = t.lastState()!;
    const segments = state['segments'] as number[][];
    const done = segments.reduce((sum, [start, , pos]) => sum + pos! - start!, 0);
    server.file('/pause-multi.bin', body);
    const from = server.log.length;
    const outcome = await engine(makeContext(testJob(server.url('/pause-multi.bin'), dir), state).ctx);
    expect(await fileSha256(outcome.path)).toBe(sha256(body));
    // Nothing saved as done was asked for again.
    for (const request of server.log.slice(from)) {
      const [, a, b] = /bytes=(\d+)-(\d+)/.exec(request.range ?? '')!;
      for (const [start, , pos] of segments) expect(Number(b) < start! || Number(a) >= pos!).toBe(true);
    }
    expect(server.bytesServed(from)).toBeLessThanOrEqual(body.length - done + 4 * 256 * 1024);
  });

  it('cancel removes the part file', async () => {
    const body = randomBody(1024 * 1024);
    server.file('/cancel.bin', body, { rateLimit: 2 * 1024 * 1024 });
    const dir = await tempDir();
    const { result } = await stopMidway('/cancel.bin', dir, 'cancelled', 100 * 1024);
    expect(result).toEqual({ ok: false, error: 'cancelled' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('starts over, never appends, when the file changed between attempts', async () => {
    const old = randomBody(1024 * 1024);
    server.file('/changes.bin', old, { rateLimit: 2 * 1024 * 1024 });
    const dir = await tempDir();
    const { t } = await stopMidway('/changes.bin', dir, 'paused', 200 * 1024);
    const fresh = randomBody(900 * 1024);
    server.file('/changes.bin', fresh, { etag: 'per-request' });
    const from = server.log.length;
    const outcome = await engine(makeContext(testJob(server.url('/changes.bin'), dir), t.lastState()).ctx);
    expect(await fileSha256(outcome.path)).toBe(sha256(fresh));
    expect(server.bytesServed(from)).toBe(fresh.length);
  });

  it('starts over when the server now ignores ranges', async () => {
    const body = randomBody(1024 * 1024);
    server.file('/later-noranges.bin', body, { rateLimit: 2 * 1024 * 1024 });
    const dir = await tempDir();
    const { t } = await stopMidway('/later-noranges.bin', dir, 'paused', 200 * 1024);
    server.file('/later-noranges.bin', body, { ignoreRanges: true });
    const outcome = await engine(makeContext(testJob(server.url('/later-noranges.bin'), dir), t.lastState()).ctx);
    expect(await fileSha256(outcome.path)).toBe(sha256(body));
  });

  it('restarts when the server answers 416 because the file shrank', async () => {
    const body = randomBody(1024 * 1024);
    server.file('/shrinks.bin', body, { rateLimit: 2 * 1024 * 1024 });
    const dir = await tempDir();
    const { t } = await stopMidway('/shrinks.bin', dir, 'paused', 300 * 1024);
    const small = randomBody(1000);
    server.file('/shrinks.bin', small);
    const outcome = await engine(makeContext(testJob(server.url('/shrinks.bin'), dir), t.lastState()).ctx);
    expect(await fileSha256(outcome.path)).toBe(sha256(small));
  });

  it('resumes after a stall from where it stopped', async () => {
    const body = randomBody(512 * 1024);
    server.file('/stall-once.bin', body, (i) => (i === 0 ? { stallAfter: 200 * 1024 } : {}));
    const dir = await tempDir();
    const stalling = createDownloadEngine({
      proxy: null,
      stallTimeoutMs: 300,
      progressIntervalMs: 10,
      checkpointIntervalMs: 20,
    });
    const first = makeContext(testJob(server.url('/stall-once.bin'), dir));
    const failed = await settle(stalling(first.ctx));
    expect(failed.ok === false && failed.error).toMatchObject({ kind: 'stalled', transient: true });
    const state = first.lastState()!;
    const pos = (state['segments'] as number[][])[0]![2]!;
    expect(pos).toBe(200 * 1024);
    const from = server.log.length;
    // The resume is not about stalls: a busy machine must not trip a 300 ms timer here.
    const patient = createDownloadEngine({ proxy: null, stallTimeoutMs: 5000, progressIntervalMs: 10 });
    const outcome = await patient(makeContext(testJob(server.url('/stall-once.bin'), dir), state).ctx);
    expect(await fileSha256(outcome.path)).toBe(sha256(body));
    expect(server.bytesServed(from)).toBe(body.length - pos);
  });
});

describe('checksums and processing', () => {
  it('verifies a matching checksum and detects the type from the bytes', async () => {
    const body = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBody(5000)]);
    server.file('/doc', body, { contentType: 'application/octet-stream' });
    const outcome = await engine(
      makeContext(
        testJob(server.url('/doc'), await tempDir(), {
          checksum: { algorithm: 'sha1', value: createHash('sha1').update(body).digest('hex').toUpperCase() },
        }),
      ).ctx,
    );
    expect(outcome.contentType).toBe('application/pdf');
  });

  it('fails a mismatch as "checksum" and never renames the part file', async () => {
    // Larger than an answer held in memory (held-answer.test.ts has that case).
    const body = randomBody(300 * 1024);
    server.file('/bad-sum.bin', body);
    const dir = await tempDir();
    const t = makeContext(
      testJob(server.url('/bad-sum.bin'), dir, { checksum: { algorithm: 'md5', value: 'AB'.repeat(16) } }),
    );
    const result = await settle(engine(t.ctx));
    expect(result.ok === false && result.error).toMatchObject({ kind: 'checksum', transient: false });
    expect((result as { error: JobFailure }).error.message).toMatch(/md5 is [0-9a-f]{32}, but abab/);
    expect(await readdir(dir)).toEqual(['bad-sum.bin.part']);
    // A retry downloads again rather than verifying the same bytes forever.
    expect((t.lastState()!['segments'] as number[][]).every(([start, , pos]) => start === pos)).toBe(true);
  });

  it('falls back to the server type when the bytes say nothing', async () => {
    server.file('/notes', Buffer.from('plain words'), { contentType: 'text/plain; charset=utf-8' });
    const outcome = await engine(makeContext(testJob(server.url('/notes'), await tempDir())).ctx);
    expect(outcome).toMatchObject({ fileName: 'notes.txt', contentType: 'text/plain' });
  });

  it('honours speed limits without breaking the bytes', async () => {
    const body = randomBody(256 * 1024);
    server.file('/limited.bin', body);
    const global = createRateLimiter(2 * 1024 * 1024);
    const limited = createDownloadEngine({
      proxy: null,
      globalLimiter: global,
      minSegmentBytes: 16 * 1024,
      rampIntervalMs: 10,
    });
    const outcome = await limited(
      makeContext(testJob(server.url('/limited.bin'), await tempDir(), { speedLimit: 1024 * 1024 })).ctx,
    );
    expect(await fileSha256(outcome.path)).toBe(sha256(body));
  });
});

describe('a reader that pauses the answer', () => {
  it('loses no byte and no connection when it pauses right after a batch went to the disk', async () => {
    // A speed limit pauses the answer inside the call that handed the disk a batch, which
    // the part file copies for a direct write; the parser, paused there, still reads the
    // chunk that call delivered.
    const body = randomBody(24 * 1024 * 1024);
    server.file('/paused.bin', body);
    const from = server.log.length;
    const t = makeContext(
      testJob(server.url('/paused.bin'), await tempDir(), { connections: 1, speedLimit: 96 * 1024 * 1024 }),
    );
    const outcome = await engine(t.ctx);
    expect(await fileSha256(outcome.path)).toBe(sha256(body));
    expect(server.log.slice(from).map((request) => request.range)).toEqual([null]);
  });
});

describe('speed limits while running', () => {
  it('applies a per-download limit changed while the download runs', async () => {
    const body = randomBody(256 * 1024);
    server.file('/relimit.bin', body);
    const job = testJob(server.url('/relimit.bin'), await tempDir(), { speedLimit: 1 });
    const t = makeContext(job);
    const running = engine(t.ctx);
    // At 1 byte/s this never ends; lifting the limit (as the job core would) lets it finish.
    expect(await waitFor(() => t.progress.length > 3)).toBe(true);
    expect(t.progress.at(-1)!.receivedBytes).toBeLessThan(body.length);
    job.options.speedLimit = 0;
    const outcome = await running;
    expect(await fileSha256(outcome.path)).toBe(sha256(body));
  });

  it('opens no more connections while a speed limit, not the link, holds the download back', async () => {
    // Four seconds at the limit: long enough that the ramp would try more connections.
    const body = randomBody(2 * 1024 * 1024);
    server.file('/one-under-limit.bin', body);
    const from = server.log.length;
    const t = makeContext(testJob(server.url('/one-under-limit.bin'), await tempDir(), { speedLimit: 512 * 1024 }));
    const outcome = await testEngine()(t.ctx);
    expect(await fileSha256(outcome.path)).toBe(sha256(body));
    expect(Math.max(...t.progress.map((p) => p.connections ?? 0))).toBe(1);
    expect(server.log.length - from).toBe(1);
  });

  it('under a low limit the bytes on disk grow a grant at a time, not a socket read at once', async () => {
    // 40 KiB/s: a grant is a quarter second's worth, 10 KiB. A socket read on loopback is
    // up to 64 KiB, which would land at once and then show no progress for over a second.
    const body = randomBody(100 * 1024);
    server.file('/low-limit.bin', body);
    const t = makeContext(testJob(server.url('/low-limit.bin'), await tempDir(), { speedLimit: 40 * 1024 }));
    const outcome = await engine(t.ctx);
    expect(await fileSha256(outcome.path)).toBe(sha256(body));
    // From nothing, through each report, to the whole file. Reports come every 10 ms and
    // grants every 250 ms: two grants may land between two reports, never more.
    const seen = [0, ...t.progress.map((p) => p.receivedBytes ?? 0), body.length];
    const steps = seen.slice(1).map((bytes, i) => bytes - seen[i]!);
    expect(Math.max(...steps)).toBeLessThanOrEqual(20 * 1024);
  });

  it('does not blame the server for the seconds a speed limit makes the download wait', async () => {
    const body = randomBody(128 * 1024);
    server.file('/paid-later.bin', body);
    // The first answer brings more than a second's worth at once; paying for it waits
    // through whole minimum-speed windows with no byte coming.
    const strict = testEngine({ minSpeed: () => 16 * 1024, minSpeedWindowMs: 400 });
    const t = makeContext(testJob(server.url('/paid-later.bin'), await tempDir(), { speedLimit: 32 * 1024 }));
    const outcome = await strict(t.ctx);
    expect(await fileSha256(outcome.path)).toBe(sha256(body));
  });

  it('applies a global limit changed while downloads run', async () => {
    const body = randomBody(128 * 1024);
    server.file('/global-relimit.bin', body);
    const global = createRateLimiter(1);
    const limited = createDownloadEngine({ proxy: null, globalLimiter: global, progressIntervalMs: 10 });
    const t = makeContext(testJob(server.url('/global-relimit.bin'), await tempDir()));
    const running = limited(t.ctx);
    expect(await waitFor(() => t.progress.length > 3)).toBe(true);
    global.setRate(0);
    expect(await fileSha256((await running).path)).toBe(sha256(body));
  });
});

describe('names and the target folder', () => {
  it('numbers a clash and never overwrites', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'same.bin'), 'keep me');
    server.file('/n/same.bin', randomBody(10));
    const outcome = await engine(makeContext(testJob(server.url('/n/same.bin'), dir)).ctx);
    expect(outcome.fileName).toBe('same (1).bin');
    expect(await readFile(join(dir, 'same.bin'), 'utf8')).toBe('keep me');
  });

  it.each([
    ['attachment; filename="../../etc/passwd"', '_.._etc_passwd'],
    ['attachment; filename*=UTF-8\'\'%2e%2e%2f%2e%2e%2fevil.sh; filename="x"', '_.._evil.sh'],
    ['attachment; filename="CON.txt"', '_CON.txt'],
    ["attachment; filename*=UTF-8''invoice%E2%80%AEfdp.exe", 'invoicefdp.exe'],
    ['attachment; filename="  ...  "', 'hostile'],
    ['attachment; filename=../../unquoted', '_.._unquoted'],
    ['attachment; filename="a\\\\b\\\\c.txt"', 'a_b_c.txt'],
  ])('keeps a hostile Content-Disposition inside the folder: %s', async (disposition, expected) => {
    const dir = await tempDir();
    server.file('/cd/hostile', randomBody(10), { contentDisposition: disposition });
    const outcome = await engine(makeContext(testJob(server.url('/cd/hostile'), dir)).ctx);
    expect(outcome.fileName).toBe(expected);
    expect(await readdir(dir)).toEqual([expected]);
  });

  it('sanitises a user-supplied name the same way', async () => {
    const dir = await tempDir();
    server.file('/n/user', randomBody(10));
    const outcome = await engine(makeContext(testJob(server.url('/n/user'), dir, { fileName: '../NUL.txt' })).ctx);
    expect(outcome.fileName).toBe('.._NUL.txt');
  });

  it('never follows a symbolic link planted in the folder', async () => {
    const dir = await tempDir();
    const outside = await tempDir();
    await writeFile(join(outside, 'target'), 'untouched');
    await symlink(join(outside, 'target'), join(dir, 'planted.bin.part'));
    await symlink(join(outside, 'target'), join(dir, 'planted (1).bin'));
    server.file('/n/planted.bin', randomBody(1000));
    const outcome = await engine(makeContext(testJob(server.url('/n/planted.bin'), dir)).ctx);
    expect(outcome.fileName).toBe('planted (2).bin');
    expect(await readFile(join(outside, 'target'), 'utf8')).toBe('untouched');
    expect((await stat(outcome.path)).size).toBe(1000);
  });

  it('fails with a clear "disk" error when the folder cannot be used', async () => {
    const base = await tempDir();
    await writeFile(join(base, 'not-a-folder'), '');
    server.file('/n/disk.bin', randomBody(10));
    const result = await settle(
      engine(makeContext(testJob(server.url('/n/disk.bin'), join(base, 'not-a-folder', 'sub'))).ctx),
    );
    expect(result.ok === false && result.error).toMatchObject({ kind: 'disk' });
    expect((result as { error: Error }).error.message).toMatch(/^A file is in the way of the folder \(/);
    // No part file was made: none is said to be kept.
    expect((result as { error: Error }).error.message).toMatch(/\. Fix this and try again\.$/);
  });

  it("says why a folder could not be made where Node's recursive mkdir says only ENOENT", async () => {
    const enoent = Object.assign(new Error('ENOENT: mkdir'), { code: 'ENOENT' });
    const readOnly = Object.assign(new Error('EROFS: mkdir'), { code: 'EROFS' });
    const made: string[] = [];
    // A read-only disk mounted at /media/card: the levels above it exist.
    const make = async (path: string) => {
      made.push(path);
      if (path === '/media' || path === '/media/card') throw Object.assign(new Error('EEXIST'), { code: 'EEXIST' });
      throw path === '/media/card/new' ? readOnly : enoent;
    };
    expect(await whyNotMade('/media/card/new/sub', enoent, make)).toBe(readOnly);
    expect(made).toEqual(['/media', '/media/card', '/media/card/new']);
    // Nothing better found: the error as it was.
    expect(await whyNotMade('/a/b', enoent, () => Promise.reject(enoent))).toBe(enoent);
  });

  it('stops soon with a clear "disk" error when the part file is deleted while it downloads', async () => {
    const body = randomBody(4 * 1024 * 1024);
    server.file('/n/deleted.bin', body, { rateLimit: 2 * 1024 * 1024 });
    const dir = await tempDir();
    const t = makeContext(testJob(server.url('/n/deleted.bin'), dir, { connections: 1 }));
    const from = server.log.length;
    const running = settle(engine(t.ctx));
    expect(await waitFor(() => server.bytesServed(from) >= 256 * 1024)).toBe(true);
    await rm(join(dir, 'deleted.bin.part'));
    const result = await running;
    expect(result.ok === false && result.error).toMatchObject({ kind: 'disk', transient: false });
    expect((result as { error: Error }).error.message).toMatch(/partial file was deleted.*deleted\.bin\.part/);
    // Stopped at the next checkpoint, not at the end of the file (2 MiB a second).
    expect(server.bytesServed(from)).toBeLessThan(body.length / 2);
    expect(await readdir(dir)).toEqual([]);
    // Nothing is kept: the job shows none of the file as there.
    expect(t.progress.at(-1)).toMatchObject({ receivedBytes: 0 });
  });

  it('creates a missing folder', async () => {
    const dir = join(await tempDir(), 'a', 'b');
    await mkdir(join(dir, '..'), { recursive: true });
    server.file('/n/deep.bin', randomBody(10));
    const outcome = await engine(makeContext(testJob(server.url('/n/deep.bin'), dir)).ctx);
    expect(outcome.path).toBe(join(dir, 'deep.bin'));
  });

  it('makes the folder again when it went away since the last download into it', async () => {
    const dir = join(await tempDir(), 'gone');
    server.file('/n/again.bin', randomBody(10));
    // Larger than an answer held in memory: its part file is made while it downloads.
    server.file('/n/again-large.bin', randomBody(300 * 1024));
    await engine(makeContext(testJob(server.url('/n/again.bin'), dir)).ctx);
    for (const path of ['/n/again.bin', '/n/again-large.bin']) {
      // Within a second the folder's real path is reused rather than looked up again.
      await rm(dir, { recursive: true });
      const outcome = await engine(makeContext(testJob(server.url(path), dir)).ctx);
      expect(outcome.path).toBe(join(dir, path.slice(3)));
      expect(await readdir(dir)).toEqual([path.slice(3)]);
    }
  });
});
