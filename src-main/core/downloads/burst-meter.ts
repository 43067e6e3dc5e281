/**
 * Reads closer together than this belong to one run of a connection's bytes: within what
 * a server sends at once they come microseconds apart on loopback, about a packet's time
 * apart over a network. @default 5
 */
export const runGapMs = 5;

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

  /** An answer starts at `offset`: its server's bursts are counted from there. */
  answer(offset: number): void {
    this.runBytes = 0;
    this.edge = offset;
  }

  /** `bytes` were read at `now` (ms), to go into the file at `offset`. */
  read(bytes: number, now: number, offset: number): void {
    const pause = now - this.runLast;
    if (this.runBytes === 0 || pause > runGapMs) {
      if (this.runBytes >= this.bytes && this.runBytes > 0 && pause > this.runLast - this.runFrom) {
        this.bytes = this.runBytes;
        this.edge = this.runEnd;
      }
      this.runBytes = 0;
      this.runFrom = now;
    }
    this.runBytes += bytes;
    this.runLast = now;
    this.runEnd = offset + bytes;
  }

  /**
   * Where what the server may have sent past `cursor` already ends: the end of the burst
   * the next byte is in; `cursor` itself while no burst is known.
   */
  inFlightEnd(cursor: number): number {
    return this.bytes > 0 ? this.edgeAt(cursor + 1) : cursor;
  }

  /** The first place at or after `offset` where a burst ends; `offset` while none is known. */
  edgeAt(offset: number): number {
    if (this.bytes === 0) return offset;
    return this.edge + Math.ceil((offset - this.edge) / this.bytes) * this.bytes;
  }
}
