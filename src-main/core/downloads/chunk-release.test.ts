import { randomFillSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { releaseChunks } from './chunk-release';

/** A chunk as a socket read gives it: a buffer of its own, filled. */
function socketChunk(bytes = 64 * 1024): Buffer {
  return randomFillSync(Buffer.allocUnsafeSlow(bytes));
}

describe('releasing written chunks', () => {
  it('frees a chunk that is the whole of its buffer, at once', () => {
    const chunks = [socketChunk(), socketChunk(20_000)];
    const before = process.memoryUsage().arrayBuffers;
    releaseChunks(chunks);
    expect(chunks.map((chunk) => [chunk.length, chunk.buffer.byteLength])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    // The memory is gone now, not at the next collection.
    expect(before - process.memoryUsage().arrayBuffers).toBeGreaterThanOrEqual(84_000);
    // Released twice (a chunk met again): nothing happens.
    expect(() => releaseChunks(chunks)).not.toThrow();
  });

  it('leaves alone what others may still read: slices, pooled and small buffers, shared memory', () => {
    const whole = socketChunk(128 * 1024);
    const head = whole.subarray(0, 64 * 1024);
    const tail = whole.subarray(64 * 1024);
    const small = socketChunk(4000);
    const pooled = Buffer.from('a pooled buffer shares its memory with others');
    const shared = Buffer.from(new SharedArrayBuffer(64 * 1024));
    const copies = [head, tail, small, pooled, shared].map((chunk) => Buffer.from(chunk));
    releaseChunks([head, tail, small, pooled, shared]);
    [head, tail, small, pooled, shared].forEach((chunk, i) => expect(chunk.equals(copies[i]!)).toBe(true));
    expect(whole.length).toBe(128 * 1024);
  });
});
