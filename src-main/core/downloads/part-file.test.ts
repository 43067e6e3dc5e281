import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
