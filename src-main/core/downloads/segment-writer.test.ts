import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileDigest } from './file-digest';
import { PartFile } from './part-file';
import { batchBytes, queuedWritesFor, SegmentWriter } from './segment-writer';
import { randomBody, sha256, tempDir, waitFor } from './test-context';

/**
 * A writer that owns its chunks (socket reads: each chunk a buffer of its own), `count`
 * of 64 KiB, for a segment from `start`.
 */
async function owningWriter(name: string, count: number, start = 0, batch?: number) {
  const path = join(await tempDir(), name);
  const part = await PartFile.create(path);
  const chunks = Array.from({ length: count }, () => Buffer.from(randomBody(64 * 1024)));
  const body = Buffer.concat(chunks);
  const segment = { start, end: start + body.length, pos: start };
  const digest = new FileDigest(undefined, true);
  const writer = new SegmentWriter(part, digest, segment, () => undefined, { release: true, batch });
  return { path, part, chunks, body, segment, digest, writer };
}

describe('segment writer', () => {
  it('writes every byte at its offset and moves pos only past bytes already in the file', async () => {
    const path = join(await tempDir(), 'w.part');
    const part = await PartFile.create(path);
    const body = randomBody(5 * batchBytes + 12345);
    const start = 1000;
    const segment = { start, end: start + body.length, pos: start };
    const digest = new FileDigest(undefined, true);
    let landed = 0;
    const writer = new SegmentWriter(part, digest, segment, (bytes) => (landed += bytes));
    const checks: Promise<void>[] = [];
    // Whatever pos says is there must already be in the file, at every moment.
    const checkPos = async (): Promise<void> => {
      const pos = segment.pos;
      const onDisk = await readFile(path);
      expect(onDisk.subarray(start, pos).equals(body.subarray(0, pos - start))).toBe(true);
    };
    for (let from = 0; from < body.length; from += 70_000) {
      await writer.add(body.subarray(from, Math.min(body.length, from + 70_000)));
      checks.push(checkPos());
    }
    await writer.drain();
    await Promise.all(checks);
    expect(segment.pos).toBe(start + body.length);
    expect(landed).toBe(body.length);
    const onDisk = await readFile(path);
    expect(sha256(onDisk.subarray(start))).toBe(sha256(body));
    await part.close();
  });

  it('hashes a segment that starts the file as its bytes land', async () => {
    const part = await PartFile.create(join(await tempDir(), 'h.part'));
    const body = randomBody(3 * batchBytes + 7);
    const segment = { start: 0, end: body.length, pos: 0 };
    const digest = new FileDigest(undefined, true);
    const writer = new SegmentWriter(part, digest, segment, () => undefined);
    await writer.add(body);
    await writer.drain();
    expect((await digest.finish(part, body.length)).sha256).toBe(sha256(body));
    await part.close();
  });

  it('reports a failed write and never counts its bytes', async () => {
    const part = await PartFile.create(join(await tempDir(), 'f.part'));
    await part.close();
    const segment = { start: 0, end: 4 * batchBytes, pos: 0 };
    const writer = new SegmentWriter(part, new FileDigest(undefined, true), segment, () => undefined);
    const error = await Promise.resolve(writer.add(randomBody(2 * batchBytes)))
      .then(() => writer.drain())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(segment.pos).toBe(0);
  });

  it('refuses the next chunk once a write failed, even with no write left in the queue', async () => {
    const full = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    const writes: number[] = [];
    const part = {
      write: (_chunks: readonly Buffer[], position: number) => (writes.push(position), Promise.reject(full)),
      read: () => Promise.resolve(0),
    };
    const segment = { start: 0, end: 64 * batchBytes, pos: 0 };
    const writer = new SegmentWriter(part, new FileDigest(undefined, true), segment, () => undefined, { queue: 8 });
    expect(writer.add(randomBody(batchBytes))).toBeNull();
    await waitFor(() => writes.length === 1);
    await new Promise((resolve) => setImmediate(resolve));
    const refused = await Promise.resolve(writer.add(randomBody(batchBytes))).catch((e: unknown) => e);
    expect(refused).toBe(full);
    expect(writes).toEqual([0]);
    await expect(writer.drain()).rejects.toBe(full);
    expect(segment.pos).toBe(0);
  });

  it('writes a batch that stopped growing once it is old enough, without waiting for more bytes', async () => {
    const path = join(await tempDir(), 'a.part');
    const part = await PartFile.create(path);
    const body = randomBody(100_000);
    const segment = { start: 0, end: 4 * batchBytes, pos: 0 };
    let landed = 0;
    const writer = new SegmentWriter(part, new FileDigest(undefined, true), segment, (bytes) => (landed += bytes), {
      batch: batchBytes,
      ageMs: 5,
    });
    expect(writer.add(body.subarray(0, 60_000))).toBeNull();
    expect(writer.add(body.subarray(60_000))).toBeNull();
    expect(writer.pending).toBe(100_000);
    // Far below the batch size, and nothing more comes: the age alone sends it to the disk.
    const reached = await waitFor(() => landed === 100_000);
    expect(reached).toBe(true);
    expect(writer.pending).toBe(0);
    expect(segment.pos).toBe(100_000);
    expect((await readFile(path)).equals(body)).toBe(true);
    await writer.drain();
    await part.close();
  });

  it('writes a burst that stopped coming before its age, and a small batch only at its age', async () => {
    const part = await PartFile.create(join(await tempDir(), 'b.part'));
    const segment = { start: 0, end: 4 * batchBytes, pos: 0 };
    let landed = 0;
    const writer = new SegmentWriter(part, new FileDigest(undefined, true), segment, (b) => (landed += b), {
      batch: 4 * batchBytes,
      ageMs: 2000,
    });
    // 256 KiB at once, as a server pacing each connection sends a burst, then nothing.
    for (let i = 0; i < 4; i += 1) expect(writer.add(randomBody(64 * 1024))).toBeNull();
    const began = performance.now();
    expect(await waitFor(() => landed === 256 * 1024, 1000)).toBe(true);
    expect(performance.now() - began).toBeLessThan(1000);
    // 16 KiB then nothing: too little to be a burst, so it waits out its age.
    expect(writer.add(randomBody(16 * 1024))).toBeNull();
    expect(await waitFor(() => landed > 256 * 1024, 50)).toBe(false);
    expect(writer.pending).toBe(16 * 1024);
    await writer.drain();
    expect(segment.pos).toBe(272 * 1024);
    await part.close();
  });

  it('counts only writes still in the air against the queue, after many written for their age', async () => {
    const part = await PartFile.create(join(await tempDir(), 'q.part'));
    const segment = { start: 0, end: 16 * batchBytes, pos: 0 };
    let landed = 0;
    const writer = new SegmentWriter(part, new FileDigest(undefined, true), segment, (b) => (landed += b), {
      batch: 4096,
      ageMs: 1,
    });
    for (let i = 1; i <= 20; i += 1) {
      expect(writer.add(randomBody(100))).toBeNull();
      expect(await waitFor(() => landed === i * 100)).toBe(true);
    }
    // Every earlier write has landed: a full batch goes out without making the reader wait.
    expect(writer.add(randomBody(4096))).toBeNull();
    // Three full batches at once: the third waits for room.
    expect(writer.add(randomBody(4096))).toBeNull();
    const third = writer.add(randomBody(4096));
    expect(third).not.toBeNull();
    await third;
    await writer.drain();
    expect(segment.pos).toBe(2000 + 3 * 4096);
    await part.close();
  });

  it('makes the reader wait once batches written for their age hold as much as the queue may', async () => {
    // A disk that is behind: no write lands until it is let through.
    const held: (() => void)[] = [];
    const part = {
      write: () => new Promise<void>((resolve) => held.push(resolve)),
      read: () => Promise.resolve(0),
    };
    const segment = { start: 0, end: 64 * batchBytes, pos: 0 };
    const writer = new SegmentWriter(part, new FileDigest(undefined, false), segment, () => undefined, {
      batch: 4096,
      ageMs: 1,
    });
    // Bytes slower than a batch per age (a connection paced by its server): each batch of
    // 1000 bytes goes to the disk by its age, and none fills. Two whole batches' worth
    // (8192 bytes) may be at the disk: the ninth write is over it.
    let waiting: Promise<void> | null = null;
    let writes = 0;
    while (waiting === null && writes < 20) {
      waiting = writer.add(randomBody(1000));
      if (waiting === null) {
        writes += 1;
        expect(await waitFor(() => held.length === writes)).toBe(true);
      }
    }
    expect(writes).toBe(9);
    let through = false;
    void waiting!.then(() => (through = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(through).toBe(false);
    // The disk catches up: the reader goes on.
    while (!through) {
      held.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    let drained = false;
    const drain = writer.drain().then(() => (drained = true));
    while (!drained) {
      held.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await drain;
    expect(segment.pos).toBe(10_000);
  });

  it('ends each full batch at a whole block of the file, the bytes past it opening the next', async () => {
    const body = randomBody(5 * 256 * 1024 + 999);
    const start = 1000;
    const file = Buffer.alloc(start + body.length);
    const writes: { at: number; length: number }[] = [];
    const part = {
      write: (chunks: readonly Buffer[], at: number) => {
        const bytes = Buffer.concat(chunks);
        bytes.copy(file, at);
        writes.push({ at, length: bytes.length });
        return Promise.resolve();
      },
      read: () => Promise.resolve(0),
    };
    const segment = { start, end: start + body.length, pos: start };
    const writer = new SegmentWriter(part, new FileDigest(undefined, true), segment, () => undefined, {
      batch: 256 * 1024,
      ageMs: 60_000,
    });
    // A socket's reads: sizes that never fall on a block.
    for (let from = 0; from < body.length; from += 70_001) {
      await writer.add(body.subarray(from, Math.min(body.length, from + 70_001)));
    }
    await writer.drain();
    expect(file.subarray(start).equals(body)).toBe(true);
    expect(segment.pos).toBe(start + body.length);
    // Every write but the last ends on a block; so every one after the first starts on one.
    expect(writes.length).toBeGreaterThanOrEqual(4);
    for (const { at, length } of writes.slice(0, -1)) expect((at + length) % 4096).toBe(0);
    for (const { at } of writes.slice(1)) expect(at % 4096).toBe(0);
    expect(writes.at(-1)!.at + writes.at(-1)!.length).toBe(start + body.length);
  });

  it('writes the bytes a full batch left past its last block at their age, with nothing more coming', async () => {
    const part = await PartFile.create(join(await tempDir(), 'c.part'));
    const body = randomBody(4096 + 100);
    const segment = { start: 0, end: 4 * batchBytes, pos: 0 };
    let landed = 0;
    const writer = new SegmentWriter(part, new FileDigest(undefined, true), segment, (b) => (landed += b), {
      batch: 4096,
      ageMs: 5,
    });
    expect(writer.add(body)).toBeNull();
    expect(writer.pending).toBe(100);
    expect(await waitFor(() => landed === body.length)).toBe(true);
    expect(writer.pending).toBe(0);
    expect(segment.pos).toBe(body.length);
    await writer.drain();
    await part.close();
  });

  it('queues three writes for one or two connections, two for more', async () => {
    expect([1, 2, 3, 8].map(queuedWritesFor)).toEqual([3, 3, 2, 2]);
    const part = await PartFile.create(join(await tempDir(), 'three.part'));
    const segment = { start: 0, end: 4 * 4096, pos: 0 };
    const writer = new SegmentWriter(part, new FileDigest(undefined, true), segment, () => undefined, {
      batch: 4096,
      queue: queuedWritesFor(1),
    });
    for (let i = 0; i < 3; i += 1) expect(writer.add(randomBody(4096))).toBeNull();
    const fourth = writer.add(randomBody(4096));
    expect(fourth).not.toBeNull();
    await fourth;
    await writer.drain();
    expect(segment.pos).toBe(4 * 4096);
    await part.close();
  });

  it('frees the chunks it owns once they are on disk and hashed', async () => {
    const { path, part, chunks, body, digest, writer } = await owningWriter('r.part', 40);
    for (const chunk of chunks) await writer.add(chunk);
    await writer.drain();
    expect(chunks.every((chunk) => chunk.length === 0)).toBe(true);
    expect((await readFile(path)).equals(body)).toBe(true);
    expect((await digest.finish(part, body.length)).sha256).toBe(sha256(body));
    await part.close();
  });

  it.runIf(process.platform === 'linux')('frees the chunks a part file copied at once, before they land', async () => {
    const { path, part, chunks, body, segment, digest, writer } = await owningWriter('p.part', 24, 0, 512 * 1024);
    for (const chunk of chunks.slice(0, 8)) expect(writer.add(chunk)).toBeNull();
    // The batch went to the part file, which copied it for a direct write: freed once the
    // call that delivered the last chunk is over, not once it landed.
    expect(chunks[7]!.length).toBe(64 * 1024);
    await Promise.resolve();
    expect(chunks.slice(0, 8).every((chunk) => chunk.length === 0)).toBe(true);
    expect(segment.pos).toBe(0);
    for (const chunk of chunks.slice(8)) await writer.add(chunk);
    await writer.drain();
    expect(segment.pos).toBe(body.length);
    expect((await readFile(path)).equals(body)).toBe(true);
    expect((await digest.finish(part, body.length)).sha256).toBe(sha256(body));
    await part.close();
  });

  it('writes bytes the hash will read back through the page cache, not copied', async () => {
    // Another connection's segment, ahead of the hashed prefix (which is at 0).
    const { part, chunks, writer } = await owningWriter('a.part', 8, 4 * 1024 * 1024, 512 * 1024);
    for (const chunk of chunks) expect(writer.add(chunk)).toBeNull();
    await Promise.resolve();
    // Not copied: the chunks themselves are being written, and kept until they landed.
    expect(chunks.every((chunk) => chunk.length === 64 * 1024)).toBe(true);
    await writer.drain();
    expect(chunks.every((chunk) => chunk.length === 0)).toBe(true);
    await part.close();
  });

  it('keeps the chunks the hash still waits for: hashed from memory, not read back', async () => {
    const path = join(await tempDir(), 'k.part');
    const part = await PartFile.create(path);
    const ahead = randomBody(4 * batchBytes);
    const chunks = Array.from({ length: 24 }, () => Buffer.from(randomBody(64 * 1024)));
    const body = Buffer.concat([ahead, ...chunks]);
    // Another connection's bytes landed first: the hash reads them back from the file
    // (slowly: not before this connection's writes have all landed) ...
    await part.write([ahead], 0);
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let readBack = 0;
    const slowRead = {
      write: () => Promise.resolve(),
      read: async (into: Buffer, at: number) => {
        await gate;
        const read = await part.read(into, at);
        readBack += read;
        return read;
      },
    };
    const digest = new FileDigest(undefined, true);
    digest.follow(slowRead, ahead.length);
    // ... and this connection's, which continue them, wait in memory for that read-back.
    const segment = { start: ahead.length, end: body.length, pos: ahead.length };
    const writer = new SegmentWriter(part, digest, segment, () => undefined, { release: true });
    for (const chunk of chunks) await writer.add(chunk);
    await writer.drain();
    open();
    expect((await digest.finish(part, body.length)).sha256).toBe(sha256(body));
    expect(readBack).toBe(ahead.length);
    expect((await readFile(path)).equals(body)).toBe(true);
    await part.close();
  });
});
