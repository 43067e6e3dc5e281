/** Smoothed bytes per second from a growing byte counter sampled now and then. */
export class SpeedMeter {
  private lastBytes: number | null = null;
  private lastAt = 0;
  private smoothed = 0;

  /** Records the counter; returns the speed over the window since the last call. */
  sample(bytes: number, at: number): number {
    if (this.lastBytes === null || at <= this.lastAt) {
      this.lastBytes = bytes;
      this.lastAt = at;
      return 0;
    }
    const rate = (Math.max(0, bytes - this.lastBytes) * 1000) / (at - this.lastAt);
    this.lastBytes = bytes;
    this.lastAt = at;
    // Mostly the latest window: the speed shown should follow a limit change quickly.
    this.smoothed = this.smoothed === 0 ? rate : this.smoothed * 0.5 + rate * 0.5;
    return rate;
  }

  get speed(): number {
    return Math.round(this.smoothed);
  }

  /** Forgets the history, after a restart from zero. */
  reset(): void {
    this.lastBytes = null;
    this.smoothed = 0;
  }
}
