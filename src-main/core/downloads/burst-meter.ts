/**
 * Reads closer together than this belong to one run of a connection's bytes: within what
 * a server sends at once they come microseconds apart on loopback, about a packet's time
 * apart over a network. @default 5
 */
export const runGapMs = 5;

/**
 * Two periods of a server's bursts whose rates differ by more than this factor are not
 * one pace (see BurstMeter.pace): a link still speeding up (TCP's slow start over a long
 * round trip sends a run each round trip, each twice the last) or a thread reading in
 * fits. @default 1.15
 */
const steadyFactor = 1.15;

/**
 * A pause at least this many times the one before it shows that one to have been inside a
 * burst: the reading thread was off its core for a while (the machine busy), and the runs
 * on either side are one burst. Under load, a burst of 256 KiB every 250 ms was read as two
 * runs 20-50 ms apart, and connections were cut a run past a burst's edge: inside the next
 * burst, whose rest the server had sent (3% of a 4 MiB file). A server's own pauses are
 * each about its period; ones that differ by less than this stay apart. @default 2
 */
const innerPauseFactor = 2;

/**
 * What one download's connections found its server sends at once: the largest burst any
 * of them saw (0 while none), kept after that connection ends. Their meters share it.
 */
export class ServerBursts {
  largest = 0;
}

/** A burst: when its first read came (ms), its bytes, and the pause that ended it (ms). */
interface Burst {
  from: number;
  bytes: number;
  pause: number;
}

/**
 * What a connection's server sends at once, and where in the file those bursts end. A
 * server that paces each connection sends it a burst and waits (the benchmark's server
 * 256 KiB every 125 ms at 2 MiB/s, from the start of each answer); a split of that
 * connection's work at a point inside one of its bursts finds the rest of the burst sent
 * when the connection is cut there, for nothing. Measured from the reads: a run of them
 * close together (see runGapMs), ended by a pause longer than the run lasted, was a burst.
 * The largest one counts: a thread busy for a few milliseconds while a burst is read
 * splits it into two runs, the second short. A stream that flows on (a link the connection
 * fills) has no such pause, and so no burst: what it has in flight is the link's, as the
 * smallest piece has it.
 */
export class BurstMeter {
  private runBytes = 0;
  private runFrom = 0;
  private runLast = 0;
  /** Where in the file the current run's last read ended. */
  private runEnd = 0;
  /** The bytes of the largest burst; 0 while none was seen. */
  bytes = 0;
  /** Where in the file a burst of that size ended last, or the current answer began. */
  private edge = 0;
  /** The last three bursts of this answer, newest last (see `pace` and innerPauseFactor). */
  private bursts: Burst[] = [];
  /**
   * The rate (bytes/s) the server paces this connection to, 0 while unknown: known once
   * three bursts of an answer began and the two periods between them, each a burst's bytes
   * over the time to the next burst's start, agree within `steadyFactor`. The connection
   * sat idle for most of the time, so the server, not the link, held the rate down, and
   * another connection gets its own share (see ConnectionRamp.sample): on the benchmark's
   * server at 2 MiB/s a connection, 250 ms after the first answer, where the ramp's
   * windows waited out the warm-up for 0.6-0.8 s. A run that is not a burst, or a new
   * answer, unsets it.
   */
  pace = 0;

  /**
   * @param server The download's bursts, shared by its connections' meters: until this
   *   connection has seen a burst of its own, its bursts are taken to be the largest the
   *   others saw. A connection still waiting for its first burst (a server that caps its
   *   connections together sends each its turn late) has the whole of it on the way, and a
   *   split inside it finds the rest sent.
   */
  constructor(private readonly server = new ServerBursts()) {}

  /** An answer starts at `offset`: its server's bursts are counted from there. */
  answer(offset: number): void {
    this.held();
    this.edge = offset;
  }

  /**
   * The reader holds the connection (the disk or a speed limit makes it wait): the pause
   * that follows is Haul's, not the server's, so the run it ends was no burst the server
   * chose to send. The bursts of this answer so far are let go and its pace unset; the
   * largest burst seen stays. A gigabyte from a server close by, its connection held each
   * time the disk stalled on a sync, read as a server pacing it to 36-155 MiB/s, and about
   * one run in ten went to eight connections: 2.7-3.5 s against 1.8-2.9 s on one. A new
   * answer starts the count over the same way (see `answer`).
   */
  held(): void {
    this.runBytes = 0;
    this.bursts = [];
    this.pace = 0;
  }

  /** `bytes` were read at `now` (ms), to go into the file at `offset`. */
  read(bytes: number, now: number, offset: number): void {
    const pause = now - this.runLast;
    if (this.runBytes === 0 || pause > runGapMs) {
      if (this.runBytes > 0) this.ended(pause, now);
      this.runBytes = 0;
      this.runFrom = now;
    }
    this.runBytes += bytes;
    this.runLast = now;
    this.runEnd = offset + bytes;
  }

  /**
   * The run of reads ended with a `pause` (ms), and the next begins at `next`. With the
   * bursts before it that ended in pauses much shorter than this one (see innerPauseFactor)
   * it is one burst when the pause is longer than they lasted.
   */
  private ended(pause: number, next: number): void {
    const { joined, from, bytes } = this.runJoined(pause);
    this.bursts.length -= joined;
    const run: Burst = { from, bytes, pause };
    if (pause <= this.runLast - run.from) {
      this.bursts = [];
      this.pace = 0;
      return;
    }
    const last = this.bursts.at(-1);
    this.bursts.push(run);
    if (this.bursts.length > 3) this.bursts.shift();
    // A pause much shorter than the last: this run may be the start of a burst the thread
    // split, joined by the next run; what is known so far stands until then.
    if (last && pause * innerPauseFactor <= last.pause) return;
    if (run.bytes >= this.bytes) {
      this.bytes = run.bytes;
      this.edge = this.runEnd;
      this.server.largest = Math.max(this.server.largest, this.bytes);
    }
    const [first, second] = this.bursts.slice(-2);
    if (!first || !second) return;
    const one = first.bytes / (second.from - first.from);
    const two = second.bytes / (next - second.from);
    const steady = Math.max(one, two) <= Math.min(one, two) * steadyFactor;
    this.pace = steady ? ((first.bytes + second.bytes) * 1000) / (next - first.from) : 0;
  }

  /**
   * Where what the server may have sent past `cursor` already ends at `now` (ms): the end
   * of the burst the next byte is in; `cursor` itself while no burst is known.
   */
  inFlightEnd(cursor: number, now = this.runLast): number {
    return this.known(now).bytes > 0 ? this.edgeAt(cursor + 1, now) : cursor;
  }

  /** The first place at or after `offset` where a burst ends at `now` (ms); `offset` while none is known. */
  edgeAt(offset: number, now = this.runLast): number {
    const { bytes, edge } = this.known(now);
    if (bytes === 0) return offset;
    return edge + Math.ceil((offset - edge) / bytes) * bytes;
  }

  /**
   * The run read last, with the last bursts that a `pause` (ms) after it shows to be parts
   * of one burst with it: those that ended in pauses at most 1 / innerPauseFactor of it,
   * counted back from the newest. `joined`: how many of them; `from`, `bytes`: the burst.
   */
  private runJoined(pause: number): { joined: number; from: number; bytes: number } {
    let joined = 0;
    let from = this.runFrom;
    let bytes = this.runBytes;
    for (let i = this.bursts.length - 1; i >= 0 && this.bursts[i]!.pause * innerPauseFactor <= pause; i -= 1) {
      joined += 1;
      from = this.bursts[i]!.from;
      bytes += this.bursts[i]!.bytes;
    }
    return { joined, from, bytes };
  }

  /**
   * Its own largest burst and where one ended, else the largest the download's other
   * connections saw. The run read last counts as ended when the connection has been quiet
   * since for longer than it lasted, with the bursts before it that ended in much shorter
   * pauses (see innerPauseFactor): a cut waits for no further read to learn of them. Its
   * first burst read in two runs 22 ms apart, and quiet 50 ms after: the connection was
   * cut a half burst on, inside the next burst, whose rest the server had sent.
   */
  private known(now: number): { bytes: number; edge: number } {
    let { bytes, edge } = this;
    const quiet = now - this.runLast;
    if (this.runBytes > 0 && quiet > runGapMs && quiet > this.runLast - this.runFrom) {
      const run = this.runJoined(quiet).bytes;
      if (run >= bytes) {
        bytes = run;
        edge = this.runEnd;
      }
    }
    return bytes > 0 ? { bytes, edge } : { bytes: this.server.largest, edge };
  }
}
