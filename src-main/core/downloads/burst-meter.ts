/**
 * Reads closer together than this belong to one run of a connection's bytes: within what
 * a server sends at once they come microseconds apart on loopback, about a packet's time
 * apart over a network. @default 5
 */
export const runGapMs = 5;

/**
 * What a connection's server sends at once. A server that paces each connection sends it
 * a burst and waits (the benchmark's server 256 KiB every 125 ms at 2 MiB/s); a split of
 * that connection's work at a point inside its next burst finds the rest of the burst
 * already sent when the connection is cut there, for nothing. Measured from the reads: a
 * run of them close together (see runGapMs), ended by a pause longer than the run lasted,
 * was a burst. A stream that flows on (a link the connection fills) has no such pause, and
 * so no burst: what it has in flight is the link's, as the smallest piece has it.
 */
export class BurstMeter {
  private runBytes = 0;
  private runFrom = 0;
  private runLast = 0;
  /** The bytes of the last burst; 0 while none was seen. */
  bytes = 0;

  /** `bytes` were read at `now` (ms). */
  read(bytes: number, now: number): void {
    const pause = now - this.runLast;
    if (this.runBytes === 0 || pause > runGapMs) {
      if (this.runBytes > 0) this.bytes = pause > this.runLast - this.runFrom ? this.runBytes : 0;
      this.runBytes = 0;
      this.runFrom = now;
    }
    this.runBytes += bytes;
    this.runLast = now;
  }
}
