import { constants } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SlabPool, slabBytes } from './aligned-slabs';
import { PartFile } from './part-file';
import { randomBody, sha256, tempDir } from './test-context';

describe('part file', () => {
  it('closes only once the writes running on it are over, and starts none after', async () => {
    const path = join(await tempDir(), 'c.part');
    const part = await PartFile.create(path);
    const body = randomBody(16 * 1024 * 1024);
    const chunks = Array.from({ length: 16 }, (_, i) => body.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024));
    const order: string[] = [];
    const write = part.write(chunks, 0).then(() => order.push('write'));
    const closed = part.close().then(() => order.push('close'));
    await Promise.all([write, closed]);
    expect(order).toEqual(['write', 'close']);
    expect(sha256(await readFile(path))).toBe(sha256(body));
    await expect(part.write([Buffer.from('late')], 0)).rejects.toMatchObject({ code: 'EBADF' });
    await expect(part.close()).resolves.toBeUndefined();
    expect((await readFile(path)).length).toBe(body.length);
  });

  it('closes after a call fs refused before it started', async () => {
    const part = await PartFile.create(join(await tempDir(), 'x.part'));
    await expect(part.read(Buffer.alloc(4), 1.5)).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
    const closed = await Promise.race([
      part.close().then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 1000)),
    ]);
    expect(closed).toBe('closed');
  });

  it('reopens a part file with its bytes, and finds none where it is gone', async () => {
    const dir = await tempDir();
    const first = await PartFile.create(join(dir, 'r.part'));
    await first.write([Buffer.from('held bytes')], 0);
    await first.sync();
    await first.close();
    const again = await PartFile.reopen(join(dir, 'r.part'));
    expect(again).not.toBeNull();
    expect(await again!.size()).toBe(10);
    const head = Buffer.alloc(4);
    expect(await again!.read(head, 5)).toBe(4);
    expect(head.toString()).toBe('byte');
    await again!.close();
    expect(await PartFile.reopen(join(dir, 'gone.part'))).toBeNull();
  });

  describe.runIf(process.platform === 'linux')('direct writes', () => {
    /** The flags of every descriptor this process has open on `path` (from /proc). */
    async function openFlags(path: string): Promise<number[]> {
      const flags: number[] = [];
      for (const fd of await readdir('/proc/self/fd')) {
        const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
        if (target !== path) continue;
        const info = await readFile(`/proc/self/fdinfo/${fd}`, 'utf8').catch(() => '');
        const octal = /^flags:\s+(\d+)/mu.exec(info)?.[1];
        if (octal) flags.push(parseInt(octal, 8));
      }
      return flags;
    }
    const { O_DIRECT, O_DSYNC } = constants;

    it('write unaligned writes from many connections at once, each byte where it belongs', async () => {
      const path = join(await tempDir(), 'd.part');
      const part = await PartFile.create(path);
      const body = randomBody(9 * 1024 * 1024 + 777);
      // Four connections' segments at odd boundaries, each written in odd-sized batches
      // of odd-sized chunks, all at once.
      const segments = [
        [0, 1_000_001],
        [1_000_001, 4_194_305],
        [4_194_305, 6_000_000],
        [6_000_000, body.length],
      ] as const;
      const writes: Promise<void>[] = [];
      for (const [s, [start, end]] of segments.entries()) {
        for (let at = start; at < end;) {
          const batch = Math.min(700_001 + s * 131_072, end - at);
          const chunks: Buffer[] = [];
          for (let c = at; c < at + batch; c += 65_521) chunks.push(body.subarray(c, Math.min(c + 65_521, at + batch)));
          writes.push(part.writeCopy(chunks, at) ?? part.write(chunks, at));
          at += batch;
        }
      }
      await Promise.all(writes);
      expect((await openFlags(path)).some((flags) => (flags & O_DIRECT) !== 0)).toBe(true);
      const back = Buffer.alloc(1000);
      expect(await part.read(back, 4_194_000)).toBe(1000);
      expect(back.equals(body.subarray(4_194_000, 4_195_000))).toBe(true);
      await part.sync();
      await part.close();
      expect(await openFlags(path)).toEqual([]);
      expect(sha256(await readFile(path))).toBe(sha256(body));
    });

    it('are not made for small writes, nor when not wanted, nor by `write`', async () => {
      const dir = await tempDir();
      const small = await PartFile.create(join(dir, 's.part'));
      expect(small.writeCopy([randomBody(64 * 1024 + 100)], 100)).toBeNull();
      await small.write([randomBody(8 * 1024 * 1024)], 0);
      expect(await openFlags(join(dir, 's.part'))).toHaveLength(1);
      await small.close();
      const body = randomBody(4 * 1024 * 1024);
      const cached = await PartFile.create(join(dir, 'c.part'), { direct: false });
      expect(cached.writeCopy([body], 0)).toBeNull();
      await cached.write([body], 0);
      expect((await openFlags(join(dir, 'c.part'))).map((flags) => flags & O_DIRECT)).toEqual([0]);
      await cached.close();
      expect(sha256(await readFile(join(dir, 'c.part')))).toBe(sha256(body));
    });

    it('are off for a file of durable writes, whose one descriptor carries O_DSYNC', async () => {
      const path = join(await tempDir(), 'held.part');
      const plain = await PartFile.create(join(await tempDir(), 'plain.part'));
      expect((await openFlags(plain.path)).map((flags) => flags & O_DSYNC)).toEqual([0]);
      await plain.close();
      const part = await PartFile.create(path, { durableWrites: true });
      const body = randomBody(4 * 1024 * 1024);
      expect(part.writeCopy([body], 0)).toBeNull();
      await part.write([body], 0);
      await part.sync();
      const flags = await openFlags(path);
      expect(flags).toHaveLength(1);
      expect(flags[0]! & O_DSYNC).toBe(O_DSYNC);
      expect(flags[0]! & O_DIRECT).toBe(0);
      await part.close();
      expect(sha256(await readFile(path))).toBe(sha256(body));
    });

    it("are over before the file closes, and the copy is the caller's to free at once", async () => {
      const path = join(await tempDir(), 'w.part');
      const part = await PartFile.create(path);
      const body = randomBody(6 * 1024 * 1024 + 5);
      const chunks = [Buffer.from(body.subarray(0, 3_000_001)), Buffer.from(body.subarray(3_000_001))];
      const order: string[] = [];
      const write = part.writeCopy(chunks, 0)!.then(() => order.push('write'));
      for (const chunk of chunks) chunk.fill(0);
      const closed = part.close().then(() => order.push('close'));
      await Promise.all([write, closed]);
      expect(order).toEqual(['write', 'close']);
      expect(sha256(await readFile(path))).toBe(sha256(body));
      expect(await openFlags(path)).toEqual([]);
    });

    it('fall back to the page cache for good where no aligned memory can be had', async () => {
      class Exhausted extends SlabPool {
        override take(): Buffer {
          throw new RangeError('WebAssembly.Memory(): could not allocate memory');
        }
      }
      const slabs = new Exhausted();
      const path = join(await tempDir(), 'e.part');
      const part = await PartFile.create(path, { slabs });
      const body = randomBody(2 * 1024 * 1024);
      expect(part.writeCopy([body.subarray(0, 1024 * 1024)], 0)).toBeNull();
      expect(slabs.inUse).toBe(0);
      await part.write([body.subarray(0, 1024 * 1024)], 0);
      expect(part.writeCopy([body.subarray(1024 * 1024)], 1024 * 1024)).toBeNull();
      await part.write([body.subarray(1024 * 1024)], 1024 * 1024);
      await part.close();
      expect(sha256(await readFile(path))).toBe(sha256(body));
    });

    it('fall back to the page cache for good where the kernel refuses them', async () => {
      // Memory off the alignment: the kernel refuses the direct write (EINVAL).
      class Unaligned extends SlabPool {
        taken = 0;
        override take(): Buffer {
          this.taken += 1;
          return Buffer.alloc(slabBytes + 1).subarray(1);
        }
        override give(): void {}
      }
      const slabs = new Unaligned();
      const path = join(await tempDir(), 'u.part');
      const part = await PartFile.create(path, { slabs });
      const body = randomBody(3 * 1024 * 1024);
      await part.writeCopy([body.subarray(0, 1024 * 1024)], 0);
      const taken = slabs.taken;
      expect(taken).toBe(4);
      expect(part.writeCopy([body.subarray(1024 * 1024)], 1024 * 1024)).toBeNull();
      await part.write([body.subarray(1024 * 1024)], 1024 * 1024);
      expect(slabs.taken).toBe(taken);
      await part.close();
      expect(sha256(await readFile(path))).toBe(sha256(body));
    });
  });
});
