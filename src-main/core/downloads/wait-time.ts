/**
 * Time spent waiting, taken in parts: a connection's waits for the disk or a speed limit
 * (see ConnectionWaits), or for its requests' first byte (see SegmentWorker): between
 * pieces a connection idles a round trip, which a server far away makes a share of the
 * time worth counting when a step's gain is judged (see ConnectionRamp.observe).
 */
export class WaitTime {
  /** When the wait going on began, or when it was last taken; null with none going on. */
  private since: number | null = null;
  /** Milliseconds of waits ended since last taken. */
  private ended = 0;

  /** True while a wait goes on. */
  get waiting(): boolean {
    return this.since !== null;
  }

  /** A wait begins at `now` (one going on is restarted). */
  begin(now: number): void {
    this.since = now;
  }

  /** The wait going on, if any, ends at `now`. */
  end(now: number): void {
    if (this.since === null) return;
    this.ended += Math.max(0, now - this.since);
    this.since = null;
  }

  /** The milliseconds waited since the last call, a wait going on counted up to `now`. */
  take(now: number): number {
    let waited = this.ended;
    this.ended = 0;
    if (this.since !== null) {
      waited += Math.max(0, now - this.since);
      this.since = now;
    }
    return waited;
  }
}
