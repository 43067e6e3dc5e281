import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { copyToSlabs, directAlignment, SlabPool, slabBytes } from './aligned-slabs';

describe('aligned slabs', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('copies any byte range of any chunks into whole slabs, in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 300 * 1024 }), { minLength: 1, maxLength: 8 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (sizes, a, b) => {
          const chunks = sizes.map((size) => randomBytes(size));
          const all = Buffer.concat(chunks);
          const from = Math.floor(Math.min(a, b) * all.length);
          const to = Math.floor(Math.max(a, b) * all.length);
          const pool = new SlabPool();
          const slabs = copyToSlabs(chunks, from, to, pool);
          expect(Buffer.concat(slabs).equals(all.subarray(from, to))).toBe(true);
          // Every slab but the last is full.
          for (const slab of slabs.slice(0, -1)) expect(slab.length).toBe(slabBytes);
          expect(pool.inUse).toBe(slabs.length);
          pool.give(slabs);
          expect(pool.inUse).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives back what it took when the pool cannot grow', () => {
    class Short extends SlabPool {
      takes = 0;
      override take(): Buffer {
        this.takes += 1;
        if (this.takes > 2) throw new RangeError('WebAssembly.Memory(): could not allocate memory');
        return super.take();
      }
    }
    const pool = new Short();
    expect(() => copyToSlabs([randomBytes(1024 * 1024)], 0, 1024 * 1024, pool)).toThrow(RangeError);
    expect(pool.inUse).toBe(0);
  });

  it('lends slabs whose memory starts on an aligned address', () => {
    // A direct write of a slab succeeds only if it is aligned: part-file.test.ts writes
    // them. Here: every slab is a view at a multiple of the alignment into its memory.
    const pool = new SlabPool();
    const slabs = Array.from({ length: 40 }, () => pool.take());
    for (const slab of slabs) {
      expect(slab.length).toBe(slabBytes);
      expect(slab.byteOffset % directAlignment).toBe(0);
    }
    expect(new Set(slabs.map((slab) => slab.buffer)).size).toBe(2);
    pool.give(slabs);
  });

  it('gives back whole slabs, and lets go of them once all were idle a while', () => {
    vi.useFakeTimers();
    const pool = new SlabPool();
    const first = pool.take();
    pool.give([first.subarray(0, 100)]);
    const again = pool.take();
    expect(again.length).toBe(slabBytes);
    expect(pool.held).toBe(32);
    vi.advanceTimersByTime(5000);
    // Still lent: nothing is let go.
    expect(pool.held).toBe(32);
    pool.give([again]);
    vi.advanceTimersByTime(200);
    pool.give([pool.take()]);
    vi.advanceTimersByTime(249);
    expect(pool.held).toBe(32);
    vi.advanceTimersByTime(1);
    expect(pool.held).toBe(0);
  });
});
