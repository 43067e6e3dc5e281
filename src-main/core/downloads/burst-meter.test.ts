import { describe, expect, it } from 'vitest';
import { BurstMeter, runGapMs, ServerBursts } from './burst-meter';

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

  it('takes runs the thread split as one burst when the pause after them is much longer', () => {
    // 256 KiB every 250 ms, each burst read in two runs 20 ms apart (the thread off its
    // core), the first the larger: not bursts of 130 KiB ending 130 KiB into the answer.
    const reads: [number, number][] = [];
    for (let i = 0; i < 3; i += 1) reads.push([i * 250, 130 * KiB], [i * 250 + 20, 126 * KiB]);
    const bursts = meter(reads, 1024 * KiB);
    expect(bursts.bytes).toBe(256 * KiB);
    expect(bursts.edgeAt(1300 * KiB)).toBe(1536 * KiB);
    expect(bursts.inFlightEnd(1154 * KiB)).toBe(1280 * KiB);
    expect(bursts.pace).toBeCloseTo(1024 * KiB, -3);
    // A server whose own pauses vary within twice each other: runs kept apart.
    const uneven = meter([
      [0, 64 * KiB],
      [40, 64 * KiB],
      [80, 64 * KiB],
      [150, 64 * KiB],
      [220, 64 * KiB],
    ]);
    expect(uneven.bytes).toBe(64 * KiB);
  });

  it('takes the run read last as the end of a split burst once quiet for twice the pause inside it', () => {
    // A first burst of 256 KiB read as 130,817 bytes, then the rest 21.6 ms later.
    const first = 130_817;
    const bursts = meter([
      [0, first],
      [21.6, 64 * KiB],
      [22.7, 256 * KiB - first - 64 * KiB],
    ]);
    // 7 ms after the last read: as far as is known, bursts the size of the second run,
    // which ended there.
    expect(bursts.inFlightEnd(256 * KiB, 30)).toBe(256 * KiB + (256 * KiB - first));
    // 50 ms after: one burst of 256 KiB, and the next whole on its way.
    expect(bursts.inFlightEnd(256 * KiB, 73)).toBe(512 * KiB);
    expect(bursts.edgeAt(300 * KiB, 73)).toBe(512 * KiB);
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

  it("takes the server's burst from the other connections until it has seen one of its own", () => {
    const server = new ServerBursts();
    const bursts = new BurstMeter(server);
    // Asked from 7 MiB, nothing read yet, nothing seen elsewhere: any place will do.
    bursts.answer(7168 * KiB);
    expect(bursts.inFlightEnd(7168 * KiB)).toBe(7168 * KiB);
    // Another connection of the download saw 256 KiB at once: the whole first burst may be
    // on its way.
    const other = new BurstMeter(server);
    other.answer(0);
    paced(256 * KiB, 125, 3).reduce((offset, [at, bytes]) => (other.read(bytes, at, offset), offset + bytes), 0);
    expect(server.largest).toBe(256 * KiB);
    expect(bursts.inFlightEnd(7168 * KiB)).toBe(7424 * KiB);
    expect(bursts.edgeAt(7200 * KiB)).toBe(7424 * KiB);
    // Its own bursts, once seen, count instead.
    let offset = 7168 * KiB;
    for (const [at, bytes] of paced(128 * KiB, 125, 2)) {
      bursts.read(bytes, at, offset);
      offset += bytes;
    }
    expect(bursts.bytes).toBe(128 * KiB);
    expect(bursts.edgeAt(7200 * KiB)).toBe(7296 * KiB);
  });

  it('finds no burst in a stream that flows on, with or without a short stop', () => {
    const flowing: [number, number][] = [];
    for (let at = 0; at < 200; at += 1) flowing.push([at, 64 * KiB]);
    expect(meter(flowing).bytes).toBe(0);
    // A pause after 200 ms of reads, shorter than they lasted: not a burst either.
    expect(meter([...flowing, [200 + 2 * runGapMs, 64 * KiB]]).bytes).toBe(0);
  });
});

describe('BurstMeter, the pace', () => {
  const MiB = 1024 * KiB;
  /** Feeds `reads` of one answer; returns the meter and the read after which the pace was known. */
  const pacing = (reads: [number, number][]): { bursts: BurstMeter; knownAt: number | null } => {
    const bursts = new BurstMeter();
    bursts.answer(0);
    let offset = 0;
    let knownAt: number | null = null;
    for (const [at, bytes] of reads) {
      bursts.read(bytes, at, offset);
      offset += bytes;
      if (bursts.pace > 0 && knownAt === null) knownAt = at;
    }
    return { bursts, knownAt };
  };
  /** `sizes[i]` in four reads at once, at `starts[i]` ms. */
  const sized = (sizes: number[], starts: number[]): [number, number][] =>
    starts.flatMap((from, i) => [0, 1, 2, 3].map((r): [number, number] => [from + r * 0.05, sizes[i]! / 4]));

  it('knows the pace once three bursts began a steady period apart', () => {
    // 256 KiB every 125 ms: 2 MiB/s.
    expect(pacing(paced(256 * KiB, 125, 2)).knownAt).toBeNull();
    const { bursts, knownAt } = pacing(paced(256 * KiB, 125, 4));
    expect(knownAt).toBe(250);
    expect(bursts.pace).toBeCloseTo(2 * MiB, -3);
  });

  it('sees no pace in a stream that flows on, nor in runs that lasted longer than their pauses', () => {
    const flowing: [number, number][] = Array.from({ length: 200 }, (_, i) => [i * 2, 64 * KiB]);
    expect(pacing(flowing).knownAt).toBeNull();
    // Runs of 20 ms with pauses of 10 ms: a link the connection mostly fills.
    const long: [number, number][] = [];
    for (let run = 0; run < 5; run += 1) for (let r = 0; r <= 20; r += 2) long.push([run * 30 + r, 16 * KiB]);
    expect(pacing(long).knownAt).toBeNull();
  });

  it('sees no pace while the bursts still grow: a link in its slow start over a long round trip', () => {
    const doubling = sized([16 * KiB, 32 * KiB, 64 * KiB, 128 * KiB], [0, 100, 200, 300]);
    expect(pacing(doubling).knownAt).toBeNull();
    // Once two periods agree, it is known.
    expect(pacing([...doubling, ...sized([128 * KiB, 128 * KiB], [400, 500])]).knownAt).toBe(500);
  });

  it('sees no pace in pauses the reader made, and learns it again from bursts after them', () => {
    // A server pacing 2 MiB/s as above, but the reader held the connection after each
    // burst (for the disk): the pauses are Haul's.
    const bursts = new BurstMeter();
    bursts.answer(0);
    let offset = 0;
    for (const [i, [at, bytes]] of paced(256 * KiB, 125, 6).entries()) {
      bursts.read(bytes, at, offset);
      offset += bytes;
      if (i % 4 === 3) bursts.held();
    }
    expect(bursts.pace).toBe(0);
    // Once the reader stops holding, three bursts a steady period apart give the pace.
    for (const [at, bytes] of paced(256 * KiB, 125, 4, 750)) {
      bursts.read(bytes, at, offset);
      offset += bytes;
    }
    expect(bursts.pace).toBeCloseTo(2 * MiB, -3);
    bursts.held();
    expect(bursts.pace).toBe(0);
  });

  it('counts the pace of each answer from its start', () => {
    const { bursts } = pacing(paced(256 * KiB, 125, 3));
    expect(bursts.pace).toBeGreaterThan(0);
    bursts.answer(768 * KiB);
    expect(bursts.pace).toBe(0);
    bursts.read(64 * KiB, 400, 768 * KiB);
    expect(bursts.pace).toBe(0);
  });
});
