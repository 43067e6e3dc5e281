import { describe, expect, it } from 'vitest';
import { PaceMeter } from './pace-meter';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Feeds `reads` as [ms, bytes] pairs; returns the meter and the read that made the pace known. */
function meter(reads: [number, number][]): { pace: PaceMeter; knownAt: number | null } {
  const pace = new PaceMeter();
  let knownAt: number | null = null;
  for (const [at, bytes] of reads) if (pace.read(bytes, at) && knownAt === null) knownAt = at;
  return { pace, knownAt };
}

/** `sizes[i]` in four reads at once, at `starts[i]` ms. */
function bursts(sizes: number[], starts: number[]): [number, number][] {
  return starts.flatMap((from, i) => [0, 1, 2, 3].map((r): [number, number] => [from + r * 0.05, sizes[i]! / 4]));
}

describe('PaceMeter', () => {
  it('knows the pace once three bursts began a steady period apart, and says so once', () => {
    // 256 KiB every 125 ms: 2 MiB/s.
    expect(meter(bursts([256 * KiB, 256 * KiB], [0, 125])).pace.rate).toBe(0);
    const { pace, knownAt } = meter(bursts([256 * KiB, 256 * KiB, 256 * KiB, 256 * KiB], [0, 125, 250, 375]));
    expect(knownAt).toBe(250);
    expect(pace.rate).toBeCloseTo(2 * MiB, -3);
  });

  it('sees no pace in a stream that flows on, nor in runs that lasted longer than their pauses', () => {
    const flowing: [number, number][] = Array.from({ length: 200 }, (_, i) => [i * 2, 64 * KiB]);
    expect(meter(flowing).knownAt).toBeNull();
    // Runs of 20 ms with pauses of 10 ms: a link the connection mostly fills.
    const long: [number, number][] = [];
    for (let run = 0; run < 5; run += 1) for (let r = 0; r <= 20; r += 2) long.push([run * 30 + r, 16 * KiB]);
    expect(meter(long).knownAt).toBeNull();
  });

  it('sees no pace while the bursts still grow: a link in its slow start over a long round trip', () => {
    const doubling = bursts([16 * KiB, 32 * KiB, 64 * KiB, 128 * KiB], [0, 100, 200, 300]);
    expect(meter(doubling).knownAt).toBeNull();
    // Once two periods agree, it is known.
    expect(meter([...doubling, ...bursts([128 * KiB, 128 * KiB], [400, 500])]).knownAt).toBe(500);
  });

  it('forgets the bursts when the connection answers anew', () => {
    const { pace } = meter(bursts([256 * KiB, 256 * KiB, 256 * KiB], [0, 125, 250]));
    expect(pace.rate).toBeGreaterThan(0);
    pace.reset();
    expect(pace.rate).toBe(0);
    expect(pace.read(64 * KiB, 300)).toBe(false);
    expect(pace.rate).toBe(0);
  });
});
