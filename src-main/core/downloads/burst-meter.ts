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
 * What one download's connections found its server sends at once: the largest burst any
 * of them saw (0 while none), kept after that connection ends. Their meters share it.
 */
export class ServerBursts {
  largest = 0;
}

/** A burst: when its first read came (ms), and its bytes. */
interface Burst {
  from: number;
  bytes: number;
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
  /** The last two bursts of this answer, newest last (see `pace`). */
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
    this.runBytes = 0;
    this.edge = offset;
    this.bursts = [];
    this.pace = 0;
  }

  /** `bytes` were read at `now` (ms), to go into the file at `offset`. */
  read(bytes: number, now: number, offset: number): void {
    const pause = now - this.runLast;
    if (this.runBytes === 0 || pause > runGapMs) {
      if (this.runBytes > 0) this.ended(pause > this.runLast - this.runFrom, now);
      this.runBytes = 0;
      this.runFrom = now;
    }
    this.runBytes += bytes;
    this.runLast = now;
    this.runEnd = offset + bytes;
  }

  /** The run of reads ended, a burst or not, and the next begins at `next` (ms). */
  private ended(burst: boolean, next: number): void {
    if (!burst) {
      this.bursts = [];
      this.pace = 0;
      return;
    }
    if (this.runBytes >= this.bytes) {
      this.bytes = this.runBytes;
      this.edge = this.runEnd;
      this.server.largest = Math.max(this.server.largest, this.bytes);
    }
    this.bursts.push({ from: this.runFrom, bytes: this.runBytes });
    if (this.bursts.length > 2) this.bursts.shift();
    const [first, second] = this.bursts;
    if (!first || !second) return;
    const one = first.bytes / (second.from - first.from);
    const two = second.bytes / (next - second.from);
    const steady = Math.max(one, two) <= Math.min(one, two) * steadyFactor;
    this.pace = steady ? ((first.bytes + second.bytes) * 1000) / (next - first.from) : 0;
  }

  /**
   * Where what the server may have sent past `cursor` already ends: the end of the burst
   * the next byte is in; `cursor` itself while no burst is known.
   */
  inFlightEnd(cursor: number): number {
    return this.burstBytes() > 0 ? this.edgeAt(cursor + 1) : cursor;
  }

  /** The first place at or after `offset` where a burst ends; `offset` while none is known. */
  edgeAt(offset: number): number {
    const bytes = this.burstBytes();
    if (bytes === 0) return offset;
    return this.edge + Math.ceil((offset - this.edge) / bytes) * bytes;
  }

  /** Its own largest burst, else the one the download's other connections saw. */
  private burstBytes(): number {
    return this.bytes > 0 ? this.bytes : this.server.largest;
  }
}
