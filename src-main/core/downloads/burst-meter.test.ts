import { describe, expect, it } from 'vitest';
import { BurstMeter, runGapMs } from './burst-meter';

const KiB = 1024;

/** Feeds `reads` as [ms, bytes] pairs. */
function meter(reads: [number, number][]): BurstMeter {
  const bursts = new BurstMeter();
  for (const [at, bytes] of reads) bursts.read(bytes, at);
  return bursts;
}

/** A server pacing one connection: `size` in four reads at once every `every` ms. */
function paced(size: number, every: number, count: number, from = 0): [number, number][] {
  const reads: [number, number][] = [];
  for (let i = 0; i < count; i += 1) for (let r = 0; r < 4; r += 1) reads.push([from + i * every + r * 0.05, size / 4]);
  return reads;
}

describe('BurstMeter', () => {
  it('knows none before a run of reads has ended in a pause', () => {
    expect(meter([]).bytes).toBe(0);
    expect(meter(paced(256 * KiB, 125, 1)).bytes).toBe(0);
  });

  it('takes what a pacing server sends at once from the reads before each pause', () => {
    expect(meter(paced(256 * KiB, 125, 3)).bytes).toBe(256 * KiB);
    // Over a network a burst comes a packet at a time: still one run, ended by the wait.
    const network: [number, number][] = [];
    for (let i = 0; i < 2; i += 1) for (let p = 0; p < 16; p += 1) network.push([i * 125 + p, 16 * KiB]);
    expect(meter(network).bytes).toBe(256 * KiB);
    // The server's bursts change: the last one counts.
    expect(meter([...paced(256 * KiB, 125, 2), ...paced(64 * KiB, 50, 2, 250)]).bytes).toBe(64 * KiB);
  });

  it('finds no burst in a stream that flows on, with or without a short stop', () => {
    const flowing: [number, number][] = [];
    for (let at = 0; at < 200; at += 1) flowing.push([at, 64 * KiB]);
    expect(meter(flowing).bytes).toBe(0);
    // A pause after 200 ms of reads, shorter than they lasted: not a burst either.
    expect(meter([...flowing, [200 + 2 * runGapMs, 64 * KiB]]).bytes).toBe(0);
    // After a burst was seen, a long flow that stops briefly forgets it.
    expect(
      meter([...paced(256 * KiB, 125, 2), ...flowing.map(([at, b]): [number, number] => [300 + at, b]), [520, 1]])
        .bytes,
    ).toBe(0);
  });
});
