import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BurstMeter } from './burst-meter';
import { smallestPiece, WorkPlan, type Pace } from './work-plan';

const MiB = 1024 * 1024;
const sizes = { minSegmentBytes: 1 * MiB, initialSegmentBytes: 16 * MiB };

/** A connection as the plan sees it: where its next byte goes, where its server's bursts end. */
class Connection {
  private readonly bursts = new BurstMeter();

  /** `burst`: what its server sends at once, from the file's start (two bursts read). */
  constructor(
    public cursor: number,
    burst = 0,
  ) {
    this.bursts.answer(0);
    if (burst > 0) for (const at of [0, 100, 200]) this.bursts.read(burst, at, (at / 100) * burst);
  }

  get inFlightEnd(): number {
    return this.bursts.inFlightEnd(this.cursor);
  }

  burstEdge(offset: number): number {
    return this.bursts.edgeAt(offset);
  }
}

function planFor(total: number, pace: Pace): WorkPlan<Connection> {
  const plan = new WorkPlan<Connection>(sizes, () => pace);
  plan.reset([{ start: 0, end: total, pos: 0 }]);
  return plan;
}

const ranges = (plan: WorkPlan<Connection>) => plan.segments.map((s) => [s.start / MiB, s.end! / MiB]);

/** The pieces (MiB) the plan hands out front first, each fetched whole before the next is asked for. */
function handOut(plan: WorkPlan<Connection>): number[] {
  const pieces: number[] = [];
  let next = 0;
  for (let i = 0; i < 80; i += 1) {
    const connection = new Connection(next);
    const piece = plan.take(connection);
    if (!piece || piece.owner !== connection || plan.segments.every((s) => s.owner !== null)) break;
    expect(piece.start).toBe(next);
    pieces.push((piece.end! - piece.start) / MiB);
    next = piece.end!;
    connection.cursor = piece.end!;
    piece.pos = piece.end!;
  }
  return pieces;
}

describe('WorkPlan', () => {
  it('gives a download settled on one connection the whole file, uncut', () => {
    const plan = planFor(256 * MiB, { connections: 1, settled: true });
    const first = plan.take(new Connection(0));
    expect([first?.start, first?.end]).toEqual([0, 256 * MiB]);
    expect(plan.segments).toHaveLength(1);
  });

  it('hands several connections pieces front first that shrink with the work left', () => {
    const plan = planFor(64 * MiB, { connections: 4, settled: false });
    const pieces = handOut(plan);
    // A quarter of the rest for each of four connections at first, then smaller.
    expect(pieces[0]).toBe(8);
    for (let i = 1; i < pieces.length; i += 1) expect(pieces[i]).toBeLessThanOrEqual(pieces[i - 1]!);
    expect(Math.min(...pieces)).toBeGreaterThanOrEqual(1);
    // Every byte belongs to exactly one segment, in file order.
    const all = ranges(plan);
    expect(all[0]![0]).toBe(0);
    for (let i = 1; i < all.length; i += 1) expect(all[i]![0]).toBe(all[i - 1]![1]);
    expect(all.at(-1)![1]).toBe(64);
  });

  it('holds pieces to six round trips of what a connection receives while the work left allows it', () => {
    // Sized for the eight a step may reach, two fetching, each receiving 0.5 MiB a round trip
    // (25 MiB/s, 20 ms away), or 5 KiB (a server close by).
    const pace = (roundTripMiB?: number): Pace => ({
      connections: 8,
      settled: false,
      running: 2,
      roundTripBytes: roundTripMiB === undefined ? undefined : roundTripMiB * MiB,
    });
    const far = handOut(planFor(32 * MiB, pace(0.5)));
    const near = handOut(planFor(32 * MiB, pace(0.005)));
    expect(near).toEqual(handOut(planFor(32 * MiB, pace())));
    // 3 MiB each while half of what is left is as much, then half of what is left for each of
    // the two: fewer requests, each a round trip of waiting.
    expect(far).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 3, 2.5, 1.25]);
    expect(far.length).toBeLessThan(near.length / 2);
    expect(Math.min(...near)).toBe(1);
  });

  it('sizes pieces by what a connection fetching reads in a round trip, not the rate shared with its idle time', () => {
    // Eight connections whose rate shared reads 0.1 MiB a round trip each (idle a round trip
    // of 50 ms between small pieces), one of them reading its answer at 20 MiB/s: 1 MiB a
    // round trip, so pieces of six of them, within each connection's share of the rest.
    class Fetching extends Connection {
      readonly bytesPerSecond = 20 * MiB;
    }
    const pieces = (reading: Connection) => {
      const plan = planFor(64 * MiB, {
        connections: 8,
        settled: false,
        running: 8,
        roundTripBytes: MiB / 10,
        roundTripMs: 50,
      });
      plan.segments[0]!.owner = reading;
      plan.segments[0]!.end = 4 * MiB;
      plan.segments.push({ start: 4 * MiB, end: 64 * MiB, pos: 4 * MiB, owner: null });
      const piece = plan.take(new Connection(4 * MiB))!;
      return (piece.end! - piece.start) / MiB;
    };
    expect(pieces(new Fetching(MiB))).toBe(6);
    // No rate read yet: the shared one, and the pieces that halve the work left as before.
    expect(pieces(new Connection(MiB))).toBe(3.75);
  });

  it('sizes the first pieces of connections a step opens for all of them, not for those fetching before it', () => {
    // Two fetching, 1 MiB a round trip each (20 MiB/s, 50 ms away), a step to eight with 16
    // MiB left: each new connection takes its piece before the next one is opened.
    const opened = (joining?: number): number[] => {
      const pieces: number[] = [];
      // Each connection a step opens runs from then on; before the plan knew of steps, the
      // pieces were sized for the two fetching before it.
      const plan = new WorkPlan<Connection>(sizes, () => ({
        connections: 8,
        settled: false,
        running: joining === undefined ? 2 : 2 + pieces.length,
        roundTripBytes: 1 * MiB,
        ...(joining === undefined ? {} : { joining }),
      }));
      plan.reset([{ start: 0, end: 16 * MiB, pos: 0 }]);
      let next = 0;
      for (let i = 0; i < 6; i += 1) {
        const piece = plan.take(new Connection(next));
        if (!piece) break;
        pieces.push((piece.end! - piece.start) / MiB);
        next = piece.end!;
      }
      return pieces;
    };
    // Sized for the two fetching, the first new connections took 6 MiB each (six round
    // trips) and the last three none: the first end long after the others, their pieces too
    // large to split within the budget.
    expect(opened()).toEqual([6, 6, 4]);
    // Sized for the eight: an eighth of the work each, every new connection a piece.
    expect(opened(8)).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it("shares a first trial's work among the connections it opens: pieces from the first answer's time, none left over", () => {
    // 16 MiB 70 ms from a server sending 20 MiB/s a connection, no round trip timed yet: the
    // first connection reads its 4 MiB first piece (2.25 MiB still to come) and a trial of
    // eight opens seven. A piece each of the 12 MiB nobody owns, where pieces of the
    // smallest size (1 MiB) left 5 MiB to be asked for a round trip after they ended.
    class Fetching extends Connection {
      readonly bytesPerSecond = 20 * MiB;
    }
    const trial = (joining: number | undefined) => {
      const pieces: number[] = [];
      const plan = new WorkPlan<Connection>(sizes, () => ({
        connections: 8,
        settled: false,
        running: 1 + pieces.length,
        firstAnswerMs: 70,
        ...(joining === undefined ? {} : { joining }),
      }));
      plan.reset([
        { start: 0, end: 4 * MiB, pos: 1.75 * MiB },
        { start: 4 * MiB, end: 16 * MiB, pos: 4 * MiB },
      ]);
      plan.segments[0]!.owner = new Fetching(1.75 * MiB);
      for (let i = 0; i < 7; i += 1) {
        // As a connection the transfer opens: the piece is claimed, then the connection starts on it.
        const piece = plan.take(null);
        if (!piece) break;
        piece.owner = new Connection(piece.start);
        pieces.push(piece.end! - piece.start);
      }
      return { pieces, idle: plan.segments.filter((s) => s.owner === null && s.pos < s.end!).length };
    };
    const { pieces, idle } = trial(8);
    expect(pieces).toHaveLength(7);
    expect(pieces.reduce((a, b) => a + b, 0)).toBe(12 * MiB);
    expect(Math.max(...pieces) - Math.min(...pieces)).toBeLessThanOrEqual(64 * 1024);
    expect(idle).toBe(0);
    // Not during a step: the first answer's time sizes nothing (near a server it is mostly
    // the process's start), and pieces are as they were.
    expect(trial(undefined).pieces.slice(0, 3)).toEqual([1, 1, 1].map((m) => m * MiB));
  });

  /** The segments (MiB) once room is made for a step to `joining` from one connection 1 MiB into `total` MiB. */
  const roomFromOne = (total: number, joining: number, roundTripBytes: number, answerEnd: number | null) => {
    const plan = planFor(total * MiB, { connections: 8, settled: false, running: 1, joining, roundTripBytes });
    plan.segments[0]!.owner = Object.assign(new Connection(1 * MiB), { answerEnd });
    plan.segments[0]!.pos = 1 * MiB;
    plan.makeRoom();
    return ranges(plan);
  };

  it('leaves the connection whose work makes room for a step a piece of its share, not only what is on its way', () => {
    // One connection reading all of 64 MiB (256 KiB a round trip: a cut within the budget),
    // a step to four: six round trips of its bytes (within a quarter of the 63 MiB left).
    expect(roomFromOne(64, 4, MiB / 4, null)).toEqual([
      [0, 2.5],
      [2.5, 64],
    ]);
  });

  it("makes a step's room from where the owner's answer ends when its piece would reach past it", () => {
    // A first piece to 4 MiB; a step to eight whose share (3.9 MiB of the 31 left) would
    // leave the owner a tail past its answer, asked for again a round trip later.
    expect(roomFromOne(32, 8, MiB, 4 * MiB)).toEqual([
      [0, 4],
      [4, 32],
    ]);
  });

  it('near the end, hands a connection its share of all the work left, what the others still owe too', () => {
    // Four connections 50 ms from their server, 1 MiB a round trip each: three still owe
    // 3 MiB, 3 MiB are unowned, and the fourth is free.
    const pace: Pace = { connections: 4, settled: false, running: 4, roundTripBytes: 1 * MiB };
    const plan = new WorkPlan<Connection>(sizes, () => pace);
    plan.reset([0, 3, 6, 9].map((at) => ({ start: at * MiB, end: (at + 3) * MiB, pos: at * MiB })));
    for (const segment of plan.segments.slice(0, 3)) segment.owner = new Connection(segment.start);
    // A quarter of the 12 MiB left: all 3 MiB at once, ending with the others, where a
    // quarter of the unowned work alone was a 1 MiB piece and two more requests after it.
    const piece = plan.take(new Connection(9 * MiB));
    expect([piece?.start, piece?.end]).toEqual([9 * MiB, 12 * MiB]);
  });

  it("hands out pieces of whole bursts once the server's burst is known, and smaller ones as they were", () => {
    const KiB = 1024;
    const burst = 256 * KiB;
    for (const [total, connections] of [
      [64 * MiB + 100 * KiB, 8],
      [3 * MiB + 5 * KiB, 8],
      [256 * MiB, 3],
    ] as const) {
      const plan = planFor(total, { connections, settled: false, smallestPiece: 300 * KiB, burstBytes: burst });
      for (let next = 0; ;) {
        const connection = new Connection(next);
        const piece = plan.take(connection);
        if (!piece || piece.owner !== connection || piece.start !== next) break;
        const length = piece.end! - piece.start;
        // The file's last piece is what is left; every other one a whole number of bursts,
        // or the smallest piece (300 KiB) rounded down to one burst.
        if (piece.end !== total) expect(length % burst).toBe(0);
        expect(length).toBeGreaterThanOrEqual(Math.min(burst, total - piece.start));
        next = piece.end!;
        connection.cursor = next;
        piece.pos = next;
        if (next === total) break;
      }
    }
    // Without a burst, the smallest piece is the link's, as before; so with a burst larger
    // than the piece (4 MiB, as a busy thread's pause in a stream may show).
    for (const burstBytes of [0, 4 * MiB]) {
      const plain = planFor(3 * MiB, { connections: 8, settled: false, smallestPiece: 300 * KiB, burstBytes });
      const first = plain.take(new Connection(0));
      expect(first!.end! - first!.start).toBe(300 * KiB);
    }
  });

  it('splits what is left of the busiest connection when nothing is unowned', () => {
    const plan = planFor(100 * MiB, { connections: 2, settled: true });
    const a = new Connection(0);
    plan.segments[0]!.owner = a;
    a.cursor = 20 * MiB;
    const b = new Connection(0);
    const stolen = plan.take(b);
    // Half of the 80 MiB still to come, from the end: the donor keeps reading where it is.
    expect([stolen!.start / MiB, stolen!.end! / MiB, stolen!.owner]).toEqual([60, 100, b]);
    expect(ranges(plan)).toEqual([
      [0, 60],
      [60, 100],
    ]);
  });

  it('lets an answer carry on into the next segment only when nobody started it and the answer covers it', () => {
    const plan = new WorkPlan<Connection>(sizes, () => ({ connections: 2, settled: false }));
    plan.reset([
      { start: 0, end: 10 * MiB, pos: 0 },
      { start: 10 * MiB, end: 20 * MiB, pos: 10 * MiB },
      { start: 20 * MiB, end: 30 * MiB, pos: 20 * MiB },
    ]);
    const [first, second, third] = plan.segments;
    first!.owner = new Connection(0);
    // The answer ends before the next segment does: not absorbed.
    expect(plan.absorbNext(first!, 15 * MiB)).toBe(false);
    third!.owner = new Connection(20 * MiB);
    expect(plan.absorbNext(first!, 30 * MiB)).toBe(true);
    expect(ranges(plan)).toEqual([
      [0, 20],
      [20, 30],
    ]);
    expect(plan.segments).not.toContain(second);
    // The next one is owned by another connection: not absorbed.
    expect(plan.absorbNext(first!, 30 * MiB)).toBe(false);
  });

  it('frees the rest of the widest connection before new ones start, cut once ahead of its reader', () => {
    const plan = planFor(64 * MiB, { connections: 4, settled: false });
    const reader = new Connection(4 * MiB);
    plan.segments[0]!.owner = reader;
    plan.makeRoom();
    const [kept, freed] = plan.segments;
    expect(kept!.owner).toBe(reader);
    expect(freed!.owner).toBeNull();
    expect(freed!.start).toBe(kept!.end);
    expect(freed!.end).toBe(64 * MiB);
    // The reader keeps a piece ahead of where it reads, sized as a piece of the work left.
    expect(kept!.end! - reader.cursor).toBeGreaterThanOrEqual(sizes.minSegmentBytes);
    expect(kept!.end! - reader.cursor).toBeLessThanOrEqual(sizes.initialSegmentBytes);
    // Unowned work already there: nothing more is cut.
    plan.makeRoom();
    expect(plan.segments).toHaveLength(2);
  });

  it('frees work for new connections by a cut only within the budget for cuts, and pays it from there', () => {
    // A connection reading its answer at 20 MiB/s, 50 ms from its server: a cut of it sends
    // about 1 MiB twice.
    class Reading extends Connection {
      readonly bytesPerSecond = 20 * MiB;
    }
    const pace: Pace = { connections: 8, settled: false, roundTripMs: 50 };
    const room = (total: number) => {
      const plan = planFor(total, pace);
      plan.segments[0]!.owner = new Reading(4 * MiB);
      plan.makeRoom();
      return plan;
    };
    // 64 MiB: 0.64 MiB of cuts in all, less than this one.
    expect(room(64 * MiB).segments).toHaveLength(1);
    // 256 MiB: 2.56 MiB. The cut is made, and what it cost is gone from the budget: with
    // every segment being fetched, one split of a connection like it fits, not two.
    const splits = (plan: WorkPlan<Connection>): number => {
      for (const segment of plan.segments) segment.owner ??= new Reading(segment.start);
      let count = 0;
      while (count < 10 && plan.take(new Reading(0))) count += 1;
      return count;
    };
    const large = room(256 * MiB);
    expect(large.segments).toHaveLength(2);
    expect(splits(large)).toBe(1);
    expect(splits(planFor(256 * MiB, pace))).toBe(2);
  });

  it('frees work after the end of an answer asked for a first piece, never inside it', () => {
    const room = (answerEnd: number | null) => {
      const plan = planFor(64 * MiB, { connections: 4, settled: false });
      const reader = Object.assign(new Connection(1 * MiB), { answerEnd });
      plan.segments[0]!.owner = reader;
      plan.makeRoom();
      return plan.segments[0]!.end! / MiB;
    };
    // Its answer ends at 4 MiB: the rest is freed from there, and nothing of it is cut.
    expect(room(4 * MiB)).toBe(4);
    // An answer for all of a resumed file's rest is cut a piece ahead, as any.
    expect(room(64 * MiB)).toBeLessThan(16);
    expect(room(null)).toBeLessThan(4);
    // A connection that goes on after its piece keeps a piece of what is left, not all of
    // it, while no round trip was timed or a cut costs much of the 640 KiB budget (400 KiB
    // on the way); close by (4 KiB a round trip), it asks for all the rest.
    const after = (pace: Pace) => {
      const plan = planFor(64 * MiB, pace);
      plan.segments[0]!.owner = new Connection(4 * MiB);
      plan.segments[0]!.pos = 4 * MiB;
      plan.leavePiece(plan.segments[0]!);
      return ranges(plan);
    };
    const [kept, left] = after({ connections: 4, settled: false });
    expect(kept![1]).toBeLessThanOrEqual(20);
    expect(left).toEqual([kept![1], 64]);
    expect(after({ connections: 4, settled: false, roundTripBytes: 400 * 1024 })).toHaveLength(2);
    expect(after({ connections: 4, settled: false, roundTripBytes: 4 * 1024 })).toEqual([[0, 64]]);
    // Settled on one connection, it asks for all the rest.
    const one = planFor(64 * MiB, { connections: 1, settled: true });
    one.segments[0]!.owner = new Connection(4 * MiB);
    one.segments[0]!.pos = 4 * MiB;
    one.leavePiece(one.segments[0]!);
    expect(ranges(one)).toEqual([[0, 64]]);
  });

  it('splits a piece being fetched only while what the cuts send twice stays within 1% of the work', () => {
    // Right after a step, the rate shared by connections not answered yet reads low: the
    // cut's cost is counted over those bringing bytes.
    const afterStep = planFor(100 * MiB, {
      connections: 8,
      settled: false,
      roundTripBytes: 100 * 1024,
      cutBytes: 2 * MiB,
    });
    afterStep.segments[0]!.owner = new Connection(0);
    expect(afterStep.take(new Connection(0))).toBeNull();
    // 100 MiB: 1 MiB of cuts in all. A cut sends about a round trip of the connection's bytes twice.
    const steals = (roundTripBytes: number) => {
      const plan = planFor(100 * MiB, { connections: 2, settled: true, smallestPiece: 64 * 1024, roundTripBytes });
      const a = new Connection(0);
      plan.segments[0]!.owner = a;
      let count = 0;
      for (let i = 0; i < 50 && plan.take(new Connection(0)); i += 1) count += 1;
      return count;
    };
    expect(steals(400 * 1024)).toBe(2);
    expect(steals(2 * MiB)).toBe(0);
    // Near the server a round trip's bytes are few: the splits go on as before.
    expect(steals(4 * 1024)).toBeGreaterThan(20);
  });

  it('while no round trip was timed, splits an answer asked for a bounded range only past its end', () => {
    const split = (answerEnd: number | null) => {
      const plan = planFor(8 * MiB, { connections: 8, settled: false });
      const reader = Object.assign(new Connection(MiB + MiB / 2), { answerEnd });
      plan.segments[0]!.owner = reader;
      plan.segments[0]!.pos = reader.cursor;
      plan.segments[0]!.end = 6 * MiB;
      const taken = plan.take(new Connection(0));
      return taken && [taken.start / MiB, taken.end! / MiB];
    };
    // A first piece asked to the segment's end: all of it is on its way, nothing is split from it.
    expect(split(6 * MiB)).toBeNull();
    // Asked to 4 MiB of the segment's 6: what no answer covers yet is split off.
    expect(split(4 * MiB)).toEqual([5, 6]);
    // An answer for all the rest, or a cut whose cost is known small: split as before.
    expect(split(null)).toEqual([3.75, 6]);
    const near = planFor(8 * MiB, { connections: 8, settled: false, roundTripMs: 1, roundTripBytes: 20 * 1024 });
    near.segments[0]!.owner = Object.assign(new Connection(MiB + MiB / 2), { answerEnd: 6 * MiB });
    near.segments[0]!.pos = MiB + MiB / 2;
    near.segments[0]!.end = 6 * MiB;
    expect(near.take(new Connection(0))).not.toBeNull();
  });

  it('makes no room inside an answer while the cut has no price and other connections are fetching', () => {
    // A first piece of 4 MiB of a 6 MiB file, the rest taken by a connection whose answer
    // has not come: no round trip is timed.
    const room = (pace: Pace, others: boolean, otherAt = 4 * MiB) => {
      const plan = planFor(others ? 6 * MiB : 4 * MiB, pace);
      plan.segments[0]!.end = 4 * MiB;
      if (others) plan.segments.push({ start: 4 * MiB, end: 6 * MiB, pos: otherAt, owner: new Connection(otherAt) });
      const reader = Object.assign(new Connection(MiB + MiB / 2), { answerEnd: 4 * MiB });
      plan.segments[0]!.owner = reader;
      plan.segments[0]!.pos = reader.cursor;
      plan.makeRoom();
      return ranges(plan);
    };
    const unpriced: Pace = { connections: 16, settled: false, joining: 16 };
    expect(room(unpriced, true)).toEqual([
      [0, 4],
      [4, 6],
    ]);
    // A connection alone (a file of one first piece) still makes room for a trial inside it,
    // as when the other one has all its bytes.
    expect(room(unpriced, false)[0]![1]).toBeLessThan(4);
    expect(room(unpriced, true, 6 * MiB)[0]![1]).toBeLessThan(4);
    // Once an answer is timed close by, the cut is priced small and made.
    const near = room({ ...unpriced, roundTripMs: 1, roundTripBytes: 2 * 1024 }, true);
    expect(near).toHaveLength(3);
    expect(near[0]![1]).toBeLessThan(4);
  });

  it('counts a split of an answer not measured yet at the pace of the connection that would take it', () => {
    // Right after a step: the rate shared by all reads 5 MiB/s a connection (0.25 MiB a
    // round trip), the answer to split has just begun, and the free connection read its
    // last one at 20 MiB/s, 50 ms from the server: the cut would cost 1 MiB, over the 0.32
    // MiB of cuts that 32 MiB allows.
    class Paced extends Connection {
      readonly bytesPerSecond = 20 * MiB;
    }
    const split = (taker: Connection) => {
      const plan = planFor(32 * MiB, { connections: 8, settled: false, roundTripMs: 50, cutBytes: MiB / 4 });
      plan.segments[0]!.owner = new Connection(29 * MiB);
      return plan.take(taker);
    };
    expect(split(new Paced(0))).toBeNull();
    // With no pace known anywhere, the shared rate is all there is: the split is made.
    expect(split(new Connection(0))).not.toBeNull();
  });

  it('never splits or cuts a connection inside a burst its server may have sent it', () => {
    const steal = (burst: number) => {
      const plan = planFor(100 * MiB, { connections: 2, settled: true, smallestPiece: 64 * 1024 });
      const a = new Connection(99 * MiB, burst);
      plan.segments[0]!.owner = a;
      const stolen = plan.take(new Connection(0));
      return stolen && [stolen.start / MiB, stolen.end! / MiB];
    };
    expect(steal(0)).toEqual([99.5, 100]);
    // Bursts of 0.25 MiB: the next one may be on its way; then the middle of what is left,
    // moved on to where a burst ends.
    expect(steal(0.25 * MiB)).toEqual([99.75, 100]);
    expect(steal(1 * MiB)).toBeNull();

    const plan = planFor(64 * MiB, { connections: 4, settled: false });
    const reader = new Connection(4 * MiB, 3 * MiB);
    plan.segments[0]!.owner = reader;
    plan.makeRoom();
    // At least a piece ahead of the reader (1 MiB here), on to where the burst it is in ends.
    expect(plan.segments[0]!.end).toBe(6 * MiB);
  });

  it('counts the bytes in, the prefix without a gap, and clips at a shorter end', () => {
    const plan = new WorkPlan<Connection>(sizes, () => ({ connections: 2, settled: false }));
    plan.reset([
      { start: 0, end: 10 * MiB, pos: 10 * MiB },
      { start: 10 * MiB, end: 20 * MiB, pos: 12 * MiB },
      { start: 20 * MiB, end: 30 * MiB, pos: 25 * MiB },
    ]);
    expect(plan.done()).toBe(17 * MiB);
    expect(plan.landed()).toBe(12 * MiB);
    expect(plan.unfinished()?.start).toBe(10 * MiB);
    plan.clip(22 * MiB);
    expect(plan.segments.every((s) => s.end === null || s.end <= 22 * MiB)).toBe(true);
  });

  it("splits a connection's last 1.5 MiB when the link's smallest piece allows it, and not under the setting's alone", () => {
    const tail = (pace: Pace) => {
      const plan = planFor(100 * MiB, pace);
      const a = new Connection(0);
      plan.segments[0]!.owner = a;
      a.cursor = 98.5 * MiB;
      return plan.take(new Connection(0));
    };
    // Halves of 0.75 MiB: under the setting's 1 MiB, nothing to take.
    expect(tail({ connections: 2, settled: true })).toBeNull();
    expect(tail({ connections: 2, settled: true, smallestPiece: null })).toBeNull();
    const stolen = tail({ connections: 2, settled: true, smallestPiece: 256 * 1024 });
    expect([stolen!.start / MiB, stolen!.end! / MiB]).toEqual([99.25, 100]);
    // The link's size never goes past the setting's.
    expect(tail({ connections: 2, settled: true, smallestPiece: 4 * MiB })).toBeNull();
  });

  it('sizes the smallest piece at twice what one connection receives in a round trip, at least 64 KiB', () => {
    // 8 connections at 20 MiB/s each, answers in 10 ms: 0.4 MiB.
    expect(smallestPiece(160 * MiB, 8, 10)).toBe(Math.round(0.4 * MiB));
    // Loopback, a millisecond: the floor.
    expect(smallestPiece(160 * MiB, 8, 1)).toBe(64 * 1024);
    // 100 ms round trips at 10 MiB/s a connection: 2 MiB (the setting caps it in the plan).
    expect(smallestPiece(80 * MiB, 8, 100)).toBe(2 * MiB);
    // Not known yet: none.
    expect(smallestPiece(0, 8, 10)).toBeNull();
    expect(smallestPiece(160 * MiB, 8, Number.POSITIVE_INFINITY)).toBeNull();
  });
});

/**
 * A connection of the model below: it reads its segment from where its answer began, and
 * its server sends `burst` bytes at once from there (0: no bursts known).
 */
class Reader {
  cursor = 0;
  private from = 0;

  constructor(private readonly burst: number) {}

  /** A new answer starts at `at`: the server's bursts count from there. */
  answer(at: number): void {
    this.from = at;
    this.cursor = at;
  }

  get inFlightEnd(): number {
    return this.burst > 0 ? this.burstEdge(this.cursor + 1) : this.cursor;
  }

  burstEdge(offset: number): number {
    if (this.burst === 0) return offset;
    return this.from + Math.ceil((offset - this.from) / this.burst) * this.burst;
  }
}

describe('WorkPlan, any sequence of takes, reads and room made', () => {
  const KiB = 1024;
  const step = fc.oneof(
    fc.record({ kind: fc.constant('read' as const), who: fc.nat(), bytes: fc.integer({ min: 1, max: 8 * MiB }) }),
    fc.record({ kind: fc.constant('join' as const), burst: fc.constantFrom(0, 16 * KiB, 256 * KiB, 1 * MiB, 3 * MiB) }),
    fc.record({ kind: fc.constant('room' as const) }),
    fc.record({
      kind: fc.constant('pace' as const),
      connections: fc.integer({ min: 1, max: 8 }),
      settled: fc.boolean(),
      smallestPiece: fc.option(fc.integer({ min: 64 * KiB, max: 4 * MiB }), { nil: null }),
      burstBytes: fc.constantFrom(0, 64 * KiB, 256 * KiB, 1 * MiB),
    }),
  );

  it('keeps every byte in one segment, reads none twice, and never cuts inside a burst on its way', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 * MiB }), fc.array(step, { maxLength: 60 }), (total, steps) => {
        let pace: Pace = { connections: 1, settled: false };
        const plan = new WorkPlan<Reader>(sizes, () => pace);
        plan.reset([{ start: 0, end: total, pos: 0 }]);
        const readers: Reader[] = [];
        let read = 0;
        /**
         * Runs a step of the plan that may cut the work of connections: each one cut keeps
         * what its server may have sent it, and is cut where one of its bursts ends.
         */
        const cutting = <T>(change: () => T): T => {
          const before = plan.segments
            .filter((g) => g.owner !== null)
            .map((g) => ({ g, owner: g.owner!, end: g.end!, inFlight: g.owner!.inFlightEnd }));
          const result = change();
          for (const { g, owner, end, inFlight } of before) {
            if (g.end === end) continue;
            expect(g.end!).toBeLessThan(end);
            expect(g.end!).toBeGreaterThanOrEqual(inFlight);
            expect(owner.burstEdge(g.end!)).toBe(g.end);
          }
          return result;
        };
        /** `reader` asks for work: a new answer from where its piece starts, if it gets one. */
        const work = (reader: Reader): void => {
          const piece = cutting(() => plan.take(reader));
          if (!piece) return;
          expect(piece.owner).toBe(reader);
          reader.answer(piece.pos);
        };
        for (const s of steps) {
          if (s.kind === 'pace') pace = { ...s };
          else if (s.kind === 'room') cutting(() => plan.makeRoom());
          else if (s.kind === 'join') {
            const reader = new Reader(s.burst);
            readers.push(reader);
            work(reader);
          } else if (readers.length > 0) {
            const reader = readers[s.who % readers.length]!;
            const segment = plan.segments.find((g) => g.owner === reader && g.pos < g.end!);
            if (segment) {
              const bytes = Math.min(s.bytes, segment.end! - segment.pos);
              segment.pos += bytes;
              reader.cursor = segment.pos;
              read += bytes;
              if (segment.pos === segment.end) {
                segment.owner = null;
                work(reader);
              }
            }
          }
          // One cover of [0, total), in order, each read position within its segment.
          let at = 0;
          for (const g of plan.segments) {
            expect(g.start).toBe(at);
            expect(g.end!).toBeGreaterThan(g.start);
            expect(g.pos).toBeGreaterThanOrEqual(g.start);
            expect(g.pos).toBeLessThanOrEqual(g.end!);
            at = g.end!;
          }
          expect(at).toBe(total);
          expect(plan.done()).toBe(read);
          // A connection fetches one piece at a time.
          for (const r of readers) {
            expect(plan.segments.filter((g) => g.owner === r && g.pos < g.end!).length).toBeLessThanOrEqual(1);
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});
