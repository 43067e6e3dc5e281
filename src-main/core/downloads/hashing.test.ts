import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDownloadEngine } from './engine';
import { FileDigest } from './file-digest';
import { PartFile } from './part-file';
import { batchBytes } from './segment-writer';
import { makeContext, randomBody, settle, sha256, tempDir, testJob, waitFor } from './test-context';
import { TestServer } from './test-server';

const server = TestServer.forFile();

const options = {
  proxy: null,
  fingerprint: true,
  minSegmentBytes: 64 * 1024,
  initialSegmentBytes: 512 * 1024,
  rampIntervalMs: 50,
  progressIntervalMs: 10,
  checkpointIntervalMs: 20,
};
const engine = createDownloadEngine(options);

describe('hashing in file order as bytes land', () => {
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

  it('hashes only what is asked for: a fingerprint, a checksum, both, or nothing', async () => {
    const part = await PartFile.create(join(await tempDir(), 'f.part'));
    const body = randomBody(2 * batchBytes + 7);
    await part.write([body], 0);
    const md5 = createHash('md5').update(body).digest('hex');
    const offer = async (digest: FileDigest) => {
      const kept = digest.wrote([body.subarray(0, batchBytes)], 0);
      digest.follow(part, body.length);
      return { kept, ...(await digest.finish(part, body.length)) };
    };
    const none = new FileDigest(undefined, false);
    expect(none.hashing).toBe(false);
    expect(await offer(none)).toEqual({ kept: false, sha256: null, checksum: null });
    const checksum = (algorithm: 'md5' | 'sha256') => ({ algorithm, value: 'x' });
    expect(await offer(new FileDigest(checksum('md5'), false))).toMatchObject({ sha256: null, checksum: md5 });
    expect(await offer(new FileDigest(checksum('sha256'), false))).toMatchObject({
      sha256: sha256(body),
      checksum: sha256(body),
    });
    expect(await offer(new FileDigest(checksum('md5'), true))).toMatchObject({ sha256: sha256(body), checksum: md5 });
    await part.close();
  });

  it('hashes bytes offered in any order exactly once, in file order', async () => {
    const part = await PartFile.create(join(await tempDir(), 'o.part'));
    const body = randomBody(3 * batchBytes + 99);
    const [a, b, c] = [
      body.subarray(0, batchBytes),
      body.subarray(batchBytes, 2 * batchBytes),
      body.subarray(2 * batchBytes),
    ];
    const digest = new FileDigest(undefined, true);
    // Another connection's piece lands first: not the prefix, so it waits for a read-back.
    await part.write([b], batchBytes);
    digest.wrote([b], batchBytes);
    // The prefix arrives in two chunks and is hashed from memory.
    digest.wrote([a.subarray(0, 1000), a.subarray(1000)], 0);
    await part.write([a], 0);
    digest.follow(part, 2 * batchBytes);
    // Offered while the read-back runs, where it stops: hashed once, in its turn.
    digest.wrote([c], 2 * batchBytes);
    await part.write([c], 2 * batchBytes);
    expect((await digest.finish(part, body.length)).sha256).toBe(sha256(body));
    await part.close();
  });

  it('hashes a batch offered during a read-back from memory when it continues where the read-back stops', async () => {
    const part = await PartFile.create(join(await tempDir(), 'm.part'));
    const body = randomBody(2 * batchBytes + 5);
    const landed = body.subarray(0, 2 * batchBytes);
    await part.write([landed], 0);
    const digest = new FileDigest(undefined, true);
    digest.follow(part, landed.length);
    // Still in the air (never lands in this test): only memory can supply it.
    digest.wrote([body.subarray(landed.length)], landed.length);
    expect((await digest.finish(part, body.length)).sha256).toBe(sha256(body));
    // Offered off the read-back's end: ignored, so the file (too short) decides.
    const other = new FileDigest(undefined, true);
    other.follow(part, landed.length);
    other.wrote([body.subarray(landed.length + 1)], landed.length + 1);
    await expect(other.finish(part, body.length)).rejects.toThrow(/ends at/u);
    await part.close();
  });

  it('hashes what the file holds when bytes past its real end were offered', async () => {
    const part = await PartFile.create(join(await tempDir(), 'e.part'));
    const body = randomBody(batchBytes + 500);
    await part.write([body], 0);
    const digest = new FileDigest(undefined, true);
    digest.wrote([body], 0);
    // The server then said the file ends earlier; the part file is cut there.
    const total = batchBytes;
    await part.truncate(total);
    expect((await digest.finish(part, total)).sha256).toBe(sha256(body.subarray(0, total)));
    await part.close();
  });

  it('fails the attempt when a read-back finds fewer bytes than landed, and a fresh digest recovers', async () => {
    const path = join(await tempDir(), 'd.part');
    const part = await PartFile.create(path);
    const body = randomBody(2 * batchBytes);
    await part.write([body.subarray(0, batchBytes)], 0);
    const failures: unknown[] = [];
    const digest = new FileDigest(undefined, true, { onFailure: (error) => failures.push(error) });
    await expect(digest.finish(part, body.length)).rejects.toThrow(/ends at/u);
    expect(failures).toHaveLength(1);
    await part.write([body.subarray(batchBytes)], batchBytes);
    const again = new FileDigest(undefined, true);
    again.follow(part, batchBytes);
    expect((await again.finish(part, body.length)).sha256).toBe(sha256(body));
    await part.close();
  });
});
