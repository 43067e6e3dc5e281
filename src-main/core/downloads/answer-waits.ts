/**
 * How long one connection's requests waited for their first byte. Between pieces a
 * connection idles a round trip, which a server far away makes a share of the time worth
 * counting when a step's gain is judged (see ConnectionRamp.observe).
 */
export class AnswerWaits {
  /** When the request out began to wait, or when its wait was last taken; null with none out. */
  private since: number | null = null;
  /** Milliseconds of waits ended since last taken. */
  private ended = 0;

  /** A request went out at `now`. */
  asked(now: number): void {
    this.since = now;
  }

  /** A byte of the answer came at `now` (only the first ends the wait). */
  answered(now: number): void {
    if (this.since === null) return;
    this.ended += Math.max(0, now - this.since);
    this.since = null;
  }

  /** The milliseconds waited since the last call, a wait still running counted up to `now`. */
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
