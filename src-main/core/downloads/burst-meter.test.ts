import { describe, expect, it } from 'vitest';
import { BurstMeter, runGapMs } from './burst-meter';

const KiB = 1024;

/** Feeds `reads` as [ms, bytes] pairs of one answer starting at `from` in the file. */
function meter(reads: [number, number][], from = 0): BurstMeter {
  const bursts = new BurstMeter();
  bursts.answer(from);
  let offset = from;
  for (const [at, bytes] of reads) {
    bursts.read(bytes, at, offset);
    offset += bytes;
  }
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
    expect(meter(paced(256 * KiB, 125, 1)).edgeAt(100 * KiB)).toBe(100 * KiB);
    expect(meter(paced(256 * KiB, 125, 1)).inFlightEnd(100 * KiB)).toBe(100 * KiB);
  });

  it('takes what a pacing server sends at once from the reads before each pause', () => {
    expect(meter(paced(256 * KiB, 125, 3)).bytes).toBe(256 * KiB);
    // Over a network a burst comes a packet at a time: still one run, ended by the wait.
    const network: [number, number][] = [];
    for (let i = 0; i < 2; i += 1) for (let p = 0; p < 16; p += 1) network.push([i * 125 + p, 16 * KiB]);
    expect(meter(network).bytes).toBe(256 * KiB);
    // A burst read in two runs (the thread busy between them) does not lower it.
    const split: [number, number][] = [...paced(256 * KiB, 125, 2)];
    split.push([250, 192 * KiB], [250 + 2 * runGapMs, 64 * KiB], [375, 256 * KiB]);
    expect(meter(split).bytes).toBe(256 * KiB);
  });

  it("knows where the bursts end, counted from each answer's start", () => {
    const bursts = meter(paced(256 * KiB, 125, 3), 1024 * KiB);
    expect(bursts.edgeAt(1024 * KiB + 1)).toBe(1280 * KiB);
    expect(bursts.edgeAt(1280 * KiB)).toBe(1280 * KiB);
    // At a burst's end the next one may be on its way; inside one, the rest of it.
    expect(bursts.inFlightEnd(1280 * KiB)).toBe(1536 * KiB);
    expect(bursts.inFlightEnd(1300 * KiB)).toBe(1536 * KiB);
    expect(bursts.edgeAt(2000 * KiB)).toBe(2048 * KiB);
    // Another answer, from a place off that grid: its bursts start there.
    bursts.answer(5000 * KiB);
    expect(bursts.edgeAt(5000 * KiB + 1)).toBe(5256 * KiB);
  });

  it('finds no burst in a stream that flows on, with or without a short stop', () => {
    const flowing: [number, number][] = [];
    for (let at = 0; at < 200; at += 1) flowing.push([at, 64 * KiB]);
    expect(meter(flowing).bytes).toBe(0);
    // A pause after 200 ms of reads, shorter than they lasted: not a burst either.
    expect(meter([...flowing, [200 + 2 * runGapMs, 64 * KiB]]).bytes).toBe(0);
  });
});
