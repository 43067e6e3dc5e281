import {
  clipSegments,
  doneBytes,
  landedPrefix,
  segmentDone,
  sortSegments,
  splitSegment,
  type Segment,
} from './segments';

/** The connections a download runs now, as its ramp has them. */
export interface Pace {
  connections: number;
  /** True once the count no longer changes by measurement. */
  settled: boolean;
  /** The smallest piece worth a request on this link now (see smallestPiece); the setting's when absent. */
  smallestPiece?: number | null;
  /** What the download's server sends at once (see ServerBursts); 0 or absent when none was seen. */
  burstBytes?: number;
  /** The connections fetching now; `connections` when absent. */
  running?: number;
  /**
   * While a step opens connections, the count it opens to: each new one takes its first
   * piece before the next is opened, and the work left is shared among all of them. Sized
   * for those fetching before the step, the first new one's piece was the largest: 32
   * MiB, 25 ms from nginx pacing 20 MiB/s a connection, stepped from two to eight with
   * 15.5 MiB left and handed out 5.5, 3, 1.5, 1, 0.5 and 0.5 MiB; the first of them
   * ended 87 ms after every other connection was done.
   */
  joining?: number;
  /** What one of them receives in a round trip (see roundTripBytes); null or absent while not known. */
  roundTripBytes?: number | null;
  /**
   * What a cut sends twice: a round trip of what one of the connections bringing bytes
   * receives (those still waiting for their first answer left out); `roundTripBytes` when absent.
   */
  cutBytes?: number | null;
  /** The shortest time a request took to be answered (ms); absent while none was timed. */
  roundTripMs?: number;
  /**
   * How long the round's first answer took to come (ms): a round trip and a connection's
   * setup, which sizes a step's pieces while no round trip was timed (see
   * fetchingRoundTripBytes); absent before it came.
   */
  firstAnswerMs?: number;
}

/**
 * The share of a round's work its splits may have the server send twice (see
 * WorkPlan.cutBudget): what it sends beyond the file stays within 1%. @default 0.01
 */
const cutShare = 0.01;

/**
 * Cuts the budget must hold for a connection going on after its first piece to ask for
 * all the rest (see WorkPlan.leavePiece). @default 16
 */
const cheapCuts = 16;

/** No piece is made smaller than this, however fast the round trip. @default 64 KiB */
const floorPieceBytes = 64 * 1024;

/**
 * Round trips of one connection's bytes a piece holds at least while the work left gives
 * each connection fetching that much: every piece is a request, and the connection idles a
 * round trip for its answer, so at six it idles at most a seventh of the time. nginx pacing
 * each connection to 20 MiB/s, 20 ms away (a relay delaying each way 10 ms): pieces of
 * 0.3-1.7 MiB, each connection idle 23-69 ms before each answer; 32 MiB took 0.75-1.51 s in
 * 21-54 requests, 0.58-0.73 s in 32-45 with this floor (aria2c -x8 0.31-0.33 s). Near the
 * server a round trip is a millisecond or two, and the pieces are as they were. @default 6
 */
const bodyRoundTrips = 6;

/**
 * The bytes one of `connections` receiving `bytesPerSecond` in all gets in `roundTripMs`;
 * null while the rate or the round trip is not known.
 */
export function roundTripBytes(bytesPerSecond: number, connections: number, roundTripMs: number): number | null {
  if (!(bytesPerSecond > 0) || !Number.isFinite(roundTripMs) || roundTripMs < 0) return null;
  return ((bytesPerSecond / Math.max(1, connections)) * roundTripMs) / 1000;
}

/**
 * The smallest piece worth a request for connections receiving `bytesPerSecond` in all,
 * whose requests take `roundTripMs` to answer. Near a file's end the pieces shrink to the
 * smallest size after about twice as many pieces as connections, whatever that size: a
 * smaller one shortens the wait for the last piece (its time at one connection's rate) and
 * adds requests (about 2 x connections x ln(larger / smaller) more, each a round trip the
 * connection idles); the two balance at twice one connection's rate times the round trip.
 * At least 64 KiB; null while the rate or the round trip is not known.
 */
export function smallestPiece(bytesPerSecond: number, connections: number, roundTripMs: number): number | null {
  const bytes = roundTripBytes(bytesPerSecond, connections, roundTripMs);
  return bytes === null ? null : Math.max(floorPieceBytes, Math.round(2 * bytes));
}

/** Who fetches a segment: where the next byte it receives goes in the file. */
export interface Owner {
  readonly cursor: number;
  /**
   * Where what its server may have sent already ends: the end of the burst it sends in
   * next (see BurstMeter), or its cursor when none is known. Its work is split after it.
   */
  readonly inFlightEnd: number;
  /** The first place at or after `offset` where a burst of its server ends; `offset` when none is known. */
  burstEdge(offset: number): number;
  /** Where the answer it reads ends, when it asked for a bounded range: its work is split there or after. */
  readonly answerEnd?: number | null;
  /** What its answer brings a second; 0 or absent while not known. */
  readonly bytesPerSecond?: number;
}

/** A segment and the connection fetching it, if any. */
export type OwnedSegment<O extends Owner> = Segment & { owner: O | null };

/**
 * How a file's bytes are shared among its connections: the segments in file order, each
 * owned by the connection fetching it or by none. Work is handed out front first and a
 * piece at a time, each piece one bounded range request, so a connection never has to
 * be cut short (the server would have sent the bytes in flight for nothing) and the
 * hashed prefix follows the connections.
 */
export class WorkPlan<O extends Owner> {
  segments: OwnedSegment<O>[] = [];

  constructor(
    private readonly sizes: { minSegmentBytes: number; initialSegmentBytes: number },
    private readonly pace: () => Pace,
  ) {}

  /**
   * Bytes the server may still send twice: each split of a piece being fetched ends its
   * answer early, and what is on the way then (about a round trip of the connection's
   * bytes) was sent for nothing. A hundredth of the work the round began with.
   */
  private cutBudget = 0;

  /** A new round's segments, none of them owned. */
  reset(segments: Segment[]): void {
    this.segments = segments.map((s) => ({ ...s, owner: null }));
    const left = segments.reduce((sum, s) => (s.end === null ? sum : sum + s.end - s.pos), 0);
    this.cutBudget = left * cutShare;
  }

  /** Bytes in the file from every segment. */
  done(): number {
    return doneBytes(this.segments);
  }

  /** The bytes from the start of the file up to the first gap. */
  landed(): number {
    return landedPrefix(this.segments);
  }

  /** A segment with bytes still to come, if any. */
  unfinished(): OwnedSegment<O> | undefined {
    return this.segments.find((s) => !segmentDone(s));
  }

  /**
   * The next piece of work for `worker`: an unowned unfinished segment, else the second
   * half of the largest one still being fetched. Null when nothing is worth splitting.
   */
  take(worker: O | null): OwnedSegment<O> | null {
    const idle = this.segments.find((s) => s.owner === null && !segmentDone(s));
    if (idle) {
      // A connection alone, where a cut costs little, takes all of it in one answer (as
      // leavePiece): a trial's room is made with one cheap cut, as a first answer's was.
      const pace = this.pace();
      const alone = worker !== null && (pace.running ?? pace.connections) <= 1;
      if (!alone || !this.cheap(this.cutCost(worker, pace))) this.cutPiece(idle);
      idle.owner = worker;
      return idle;
    }
    let victim: OwnedSegment<O> | null = null;
    let most = 0;
    for (const s of this.segments) {
      if (s.owner === null || s.end === null) continue;
      const left = s.end - s.owner.cursor;
      if (left > most) {
        most = left;
        victim = s;
      }
    }
    if (!victim?.owner) return null;
    const owner = victim.owner;
    const pace = this.pace();
    // What the cut sends twice (see cutCost), within the budget. While no round trip was
    // timed that is not known, and the split stays out of an answer asked for a bounded
    // range: the server sends all of it. 8 MiB 25 ms from nginx pacing 20 MiB/s a
    // connection, whose trial of eight started before any of them answered: the last
    // ones split the first piece, and 1.078 times the file was sent.
    const cost = this.cutCost(owner, pace, worker);
    if (cost !== null && cost > this.cutBudget) return null;
    const asked = cost === null ? (owner.answerEnd ?? 0) : 0;
    // Split where one of its bursts ends: never inside one its server may have sent, nor
    // within a round trip's bytes of where it reads (sent already, on their way).
    const sent = Math.max(owner.inFlightEnd, owner.cursor + (cost ?? 0), asked);
    const tail = splitSegment(victim, this.smallest(pace), sent - victim.pos, (at) => owner.burstEdge(at));
    if (!tail) return null;
    this.cutBudget -= cost ?? 0;
    const live: OwnedSegment<O> = { ...tail, owner: worker };
    this.segments = sortSegments([...this.segments, live]);
    return live;
  }

  /**
   * One connection takes all that is left; several take pieces that shrink with the work
   * left (guided self-scheduling), so they all end at about the same time; while that
   * leaves each connection fetching enough, no piece holds under `bodyRoundTrips` round
   * trips of its bytes. That share counts all the work left, what the connections still
   * fetching owe too: near the end a connection takes the piece that ends about with
   * theirs, not a few smaller ones that each wait a round trip for their answer. 64 MiB
   * 25 ms from nginx pacing 20 MiB/s a connection: 1.15-1.27 s in 27-32 requests counting
   * only the unowned work, 1.05-1.19 s in 20-24 with this.
   */
  private pieceBytes(pace: Pace): number {
    const connections = Math.max(1, pace.connections);
    if (connections === 1 && pace.settled) return Number.POSITIVE_INFINITY;
    // Unowned work, and all the work left: what the connections fetching still owe too.
    let idle = 0;
    let left = 0;
    for (const s of this.segments) {
      if (s.end === null) continue;
      const rest = s.owner ? Math.max(0, s.end - s.owner.cursor) : s.end - s.pos;
      left += rest;
      if (!s.owner) idle += rest;
    }
    const burst = pace.burstBytes ?? 0;
    const shared = Math.ceil(left / Math.max(1, pace.running ?? connections, pace.joining ?? 0));
    const body = Math.min(Math.round(bodyRoundTrips * this.fetchingRoundTripBytes(pace)), shared);
    const bytes = Math.max(
      this.smallest(pace),
      Math.min(this.sizes.initialSegmentBytes, Math.max(body, Math.ceil(idle / (2 * connections)))),
    );
    // Whole bursts: a server pacing each answer from its start sends the first at once and
    // each after it a period later, a last part-burst too, so a piece ending inside a burst
    // waits a whole period for its last bytes (256 MiB at 20 MiB/s a connection: 1.60-1.61 s
    // in 102 requests, 1.55-1.57 s in 79). Rounded down: rounded up, the smallest pieces
    // near the end took a period more each. A piece within one burst comes at once and is
    // left as it is, so a burst misread as large (a busy thread's pause in a stream) never
    // makes pieces larger.
    const piece = burst > 0 && bytes > burst ? Math.floor(bytes / burst) * burst : bytes;
    // A step's connections still to open share all the unowned work when fewer than two
    // pieces would be left after each took one: a piece left over is fetched a round trip
    // after the others end. 16 MiB 25 ms from nginx pacing 20 MiB/s a connection, a trial
    // of eight took seven pieces of 1.5 MiB and left 1.5 MiB, asked for 50 ms after the
    // others ended (0.44 s against 0.28-0.30 s). Whole bursts, rounded up: nothing is left.
    // With no unowned work (room being made), the piece a connection keeps is as it was.
    const opening = Math.max(0, (pace.joining ?? 0) - (pace.running ?? connections));
    if (opening === 0 || idle === 0 || idle >= (opening + 2) * piece) return piece;
    const spread = Math.ceil(idle / opening);
    return burst > 0 && spread > burst ? Math.ceil(spread / burst) * burst : spread;
  }

  /**
   * What one connection receives in a round trip, for a piece's size: the rate shared by
   * all the connections running, or where one fetching reads faster, its rate. The shared
   * rate counts the round trips the connections idle between pieces, so small pieces read
   * it low and kept the next ones small: 32 MiB 25 ms from nginx pacing 20 MiB/s a
   * connection read 65-70 MiB/s on eight, pieces of 0.6-2 MiB, in 18-28 requests.
   * While a step opens connections and no round trip was timed (the first trial), the first
   * answer's time stands for one, within the step's share of the work left: there, as the
   * smallest pieces, 16 MiB took 0.36-0.46 s in 15-17 requests, 0.28-0.30 s in 8 with this.
   * Only for a step: near the server a first answer is mostly the process's start (64 MiB
   * on loopback, a connection alone after its first piece: 13-33 requests against 3).
   */
  private fetchingRoundTripBytes(pace: Pace): number {
    const ms = pace.roundTripMs ?? (pace.joining ? pace.firstAnswerMs : undefined);
    const fetching = ms === undefined ? null : roundTripBytes(this.fastestOwner(), 1, ms);
    return Math.max(pace.roundTripBytes ?? 0, fetching ?? 0);
  }

  /** The smallest piece: the link's (see smallestPiece) up to the setting's `minSegmentBytes`. */
  private smallest(pace: Pace): number {
    const link = pace.smallestPiece;
    return link == null ? this.sizes.minSegmentBytes : Math.min(this.sizes.minSegmentBytes, link);
  }

  /**
   * Leaves `segment` its first piece, to where a burst of its connection's server ends
   * past what it may have on the way; the rest becomes unowned work after it. `open`: the
   * connection's request for the segment may be out already (see makeRoom).
   */
  private cutPiece(segment: OwnedSegment<O>, open = false): void {
    const pace = this.pace();
    const owner = segment.owner;
    const from = owner?.cursor ?? segment.pos;
    let start = owner
      ? owner.burstEdge(Math.max(from + this.pieceBytes(pace), owner.inFlightEnd))
      : from + this.pieceBytes(pace);
    // Not inside an answer that ends within a piece's first size: the server sends all of
    // it, and a cut would waste what is on the way. Only where the cut's cost is known to
    // be small or not known yet (no round trip timed) is an answer for all the segment cut
    // a piece ahead, as before: a small file's first answer, near its server.
    const answerEnd = owner?.answerEnd ?? null;
    const cost = owner ? this.cutCost(owner, pace) : null;
    // Room made for a step starts where the owner's answer ends when that comes first: the
    // tail kept past it was one more request a round trip later (32 MiB 25 ms from nginx
    // pacing 20 MiB/s a connection: 9 requests and 0.41 s, against 8 and 0.38 s).
    if (open && answerEnd !== null && answerEnd > from && answerEnd < start) start = answerEnd;
    if (answerEnd !== null && answerEnd > start && answerEnd - start <= this.sizes.initialSegmentBytes) {
      if (segment.end === null || answerEnd < segment.end || (cost !== null && !this.cheap(cost))) start = answerEnd;
    }
    if (segment.end === null || segment.end - start < this.smallest(pace)) return;
    // Inside an answer asked for (one not come yet covers the segment), the cut ends it
    // early, as a split of take's does: it is paid from the same budget, and not made over it.
    // Before any answer was timed its cost is not known. A connection alone still makes
    // room that way (a first answer near its server, for a trial); with others fetching,
    // their answers, all yet to come, will price it in a moment. 6 MiB 25 ms from nginx
    // pacing 20 MiB/s a connection, a process's second download: in 5 of 200 runs a step to
    // sixteen cut the first answer before the others answered, and sent 1.08-1.09 times
    // the file; none of 150 with this.
    if (open && owner && (answerEnd ?? segment.end) > start) {
      if (cost === null && this.segments.some((s) => s.owner !== null && s.owner !== owner && !segmentDone(s))) return;
      if (cost !== null && cost > this.cutBudget) return;
      this.cutBudget -= cost ?? 0;
    }
    const rest: OwnedSegment<O> = { start, end: segment.end, pos: start, owner: null };
    segment.end = rest.start;
    this.segments = sortSegments([...this.segments, rest]);
  }

  /**
   * A connection about to ask again for the rest of `segment` (its answer ended where it
   * was asked to) keeps a piece of it, and the rest is left for any connection to take:
   * what it asks for is then bounded too, and is never cut to make room. Where a cut is
   * known to cost little (the budget holds `cheapCuts` of them: a server close by), it asks
   * for all the rest, so a fast download on one connection is not broken into requests.
   */
  leavePiece(segment: OwnedSegment<O>): void {
    if (segmentDone(segment)) return;
    if (!segment.owner || !this.cheap(this.cutCost(segment.owner, this.pace()))) this.cutPiece(segment);
  }

  /** A cut of this cost leaves the budget `cheapCuts` like it; false while the cost is not known. */
  private cheap(cost: number | null): boolean {
    return cost !== null && cost * cheapCuts <= this.cutBudget;
  }

  /**
   * What cutting `owner`'s answer has the server send twice: a round trip of its own bytes
   * (the rate shared by all reads low right after a step) or of what one of those bringing
   * bytes receives; null while no round trip was timed. A connection whose answer has not
   * been measured yet is taken to receive what the fastest one measured does (`taker`, the
   * connection that would take the split, read its last answer at its pace): right after
   * a step, the rate shared by all was still that of the two before it spread over eight,
   * a quarter of each one's 20 MiB/s, and a split of a piece just asked for, 25 ms from
   * nginx, cost the whole rest of it (1.0255 times the file sent for 32 MiB).
   */
  private cutCost(owner: O, pace: Pace, taker: O | null = null): number | null {
    const shared = pace.cutBytes ?? pace.roundTripBytes ?? null;
    const rate = owner.bytesPerSecond || Math.max(this.fastestOwner(), taker?.bytesPerSecond ?? 0);
    const own = pace.roundTripMs === undefined ? null : (rate * pace.roundTripMs) / 1000;
    if (shared === null && own === null) return null;
    return Math.round(Math.max(shared ?? 0, own ?? 0));
  }

  /** What the fastest connection fetching a segment receives a second; 0 while none is measured. */
  private fastestOwner(): number {
    let fastest = 0;
    for (const s of this.segments) fastest = Math.max(fastest, s.owner?.bytesPerSecond ?? 0);
    return fastest;
  }

  /**
   * Lets a connection whose answer runs past its segment carry on into the next one
   * when nobody has started that yet: no new request, no wasted bytes.
   */
  absorbNext(segment: OwnedSegment<O>, coveredEnd: number | null): boolean {
    if (segment.end === null || coveredEnd === null) return false;
    const index = this.segments.indexOf(segment);
    const next = this.segments[index + 1];
    if (!next || next.owner !== null || next.start !== segment.end || next.pos !== next.start) return false;
    if (next.end === null || next.end > coveredEnd) return false;
    segment.end = next.end;
    this.segments.splice(index + 1, 1);
    return true;
  }

  /**
   * Before new connections start: when nothing is left unowned, the connection with the
   * most left keeps a piece ahead of where it reads and frees the rest, so the newcomers
   * take work there and it is cut once, at that boundary, instead of at every split.
   * That cut is a split too: where it would cost more than the budget has left, nothing is
   * freed and the newcomers find no work. A connection that ended for want of work near
   * the end was opened again here, cutting what take had just refused to split: through
   * a relay 25 ms each way from nginx, 32 and 64 MiB sent 1.0118-1.0178 times the file in
   * 5 runs of 65.
   */
  makeRoom(): void {
    if (this.segments.some((s) => s.owner === null && !segmentDone(s))) return;
    let widest: OwnedSegment<O> | null = null;
    for (const s of this.segments) {
      if (s.owner === null || s.end === null) continue;
      if (!widest || s.end - s.owner.cursor > widest.end! - widest.owner!.cursor) widest = s;
    }
    if (widest) this.cutPiece(widest, true);
  }

  /** The file ends at `total`: no segment reaches past it. */
  clip(total: number): void {
    clipSegments(this.segments, total);
  }
}
