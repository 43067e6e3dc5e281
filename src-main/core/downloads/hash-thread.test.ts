import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileDigest } from './file-digest';
import { PartFile } from './part-file';
import { randomBody, sha256, tempDir } from './test-context';

const piece = 256 * 1024;

/** A digest that hashes every file with a known size on its own thread. */
function threaded(onFailure: (error: unknown) => void = () => undefined): FileDigest {
  return new FileDigest(undefined, { onFailure, threadFromBytes: 0 });
}

/** Writes `body` from `from` in pieces, telling the digest each time bytes landed. */
async function land(digest: FileDigest, part: PartFile, body: Buffer, from = 0): Promise<void> {
  for (let at = from; at < body.length; at += piece) {
    const chunk = body.subarray(at, Math.min(at + piece, body.length));
    await part.write([chunk], at);
    digest.wrote([chunk], at);
    digest.follow(part, at + chunk.length);
  }
}

describe('hashing on a thread of its own', () => {
  it('equals the sha256 of the file, with the checksum, however far the thread fell behind', async () => {
    const body = randomBody(8 * 1024 * 1024 + 777);
    const part = await PartFile.create(join(await tempDir(), 'a.part'));
    const md5 = createHash('md5').update(body).digest('hex');
    const digest = new FileDigest({ algorithm: 'md5', value: md5 }, { threadFromBytes: 0 });
    digest.expect(part, body.length);
    // Every piece lands before the thread is given a moment: the file is its whole backlog.
    await land(digest, part, body);
    expect(await digest.finish(part, body.length)).toEqual({ sha256: sha256(body), checksum: md5 });
    await part.close();
  });

  it('reads back the bytes a resumed file already holds', async () => {
    const body = randomBody(3 * 1024 * 1024);
    const path = join(await tempDir(), 'b.part');
    const first = await PartFile.create(path);
    await first.write([body.subarray(0, 1024 * 1024 + 5)], 0);
    await first.close();
    const part = (await PartFile.reopen(path))!;
    const digest = threaded();
    digest.expect(part, body.length);
    digest.follow(part, 1024 * 1024 + 5);
    await land(digest, part, body, 1024 * 1024 + 5);
    expect((await digest.finish(part, body.length)).sha256).toBe(sha256(body));
    await part.close();
  });

  it('hashes a file that turned out shorter than what landed again from disk', async () => {
    const body = randomBody(2 * 1024 * 1024);
    const part = await PartFile.create(join(await tempDir(), 'c.part'));
    const digest = threaded();
    digest.expect(part, body.length);
    await land(digest, part, body);
    await part.truncate(1024 * 1024);
    expect((await digest.finish(part, 1024 * 1024)).sha256).toBe(sha256(body.subarray(0, 1024 * 1024)));
    await part.close();
  });

  it('fails the attempt, with the reason, when the file is shorter than what was said to land', async () => {
    const body = randomBody(1024 * 1024);
    const part = await PartFile.create(join(await tempDir(), 'd.part'));
    await part.write([body], 0);
    const failures: unknown[] = [];
    const digest = threaded((error) => failures.push(error));
    digest.expect(part, 2 * body.length);
    digest.follow(part, 2 * body.length);
    await expect(digest.finish(part, 2 * body.length)).rejects.toThrow(/partial file ends at 1048576 of 2097152/);
    expect(failures).toHaveLength(1);
    await part.close();
  });

  it('fails the attempt when the thread cannot open the file, rather than waiting for it', async () => {
    const path = join(await tempDir(), 'e.part');
    const part = await PartFile.create(path);
    await rm(path);
    const failures: unknown[] = [];
    const digest = threaded((error) => failures.push(error));
    digest.expect(part, 1024);
    await expect(digest.finish(part, 1024)).rejects.toThrow(/Hashing the file failed: ENOENT/);
    expect(failures).toHaveLength(1);
    await part.close();
  });

  it('hashes on the main thread past the threads it may start, and the same bytes either way', async () => {
    const dir = await tempDir();
    const body = randomBody(1024 * 1024 + 3);
    const parts = await Promise.all([0, 1, 2, 3].map((i) => PartFile.create(join(dir, `${i}.part`))));
    const digests = parts.map(() => threaded());
    digests.forEach((digest, i) => digest.expect(parts[i]!, body.length));
    await Promise.all(digests.map((digest, i) => land(digest, parts[i]!, body)));
    const results = await Promise.all(digests.map((digest, i) => digest.finish(parts[i]!, body.length)));
    expect(results.map((r) => r.sha256)).toEqual(parts.map(() => sha256(body)));
    await Promise.all(parts.map((part) => part.close()));
  });

  it('after a reset hashes the emptied file anew and ignores the old thread', async () => {
    const body = randomBody(1024 * 1024);
    const other = randomBody(1024 * 1024);
    const part = await PartFile.create(join(await tempDir(), 'f.part'));
    const failures: unknown[] = [];
    const digest = threaded((error) => failures.push(error));
    digest.expect(part, body.length);
    await land(digest, part, body);
    // Said to reach past the end: the old thread fails, after it was let go.
    digest.follow(part, 4 * body.length);
    digest.reset();
    await part.truncate(0);
    digest.expect(part, other.length);
    await land(digest, part, other);
    expect((await digest.finish(part, other.length)).sha256).toBe(sha256(other));
    expect(failures).toEqual([]);
    await part.close();
  });
});
