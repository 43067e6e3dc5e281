/**
 * How many connections a download should use. It starts with one (several for a large
 * file) and doubles while each step brings clearly more throughput: that finds servers
 * that throttle each connection, and stops adding load where one connection already
 * fills the pipe.
 */

/** More throughput than this factor counts as growth. @default 1.15 */
const growthFactor = 1.15;

export class ConnectionRamp {
  private bestRate = 0;
  private settled = false;
  private target: number;

  /** `initial` connections are opened at once; more only while throughput grows. */
  constructor(
    private readonly max: number,
    initial = 1,
  ) {
    this.target = Math.max(1, Math.min(max, initial));
  }

  get connections(): number {
    return this.target;
  }

  /**
   * Feeds the throughput (bytes/s) measured over the last window, during which `open`
   * connections were running. Returns the new target.
   */
  observe(rate: number, open: number): number {
    if (this.settled || this.target >= this.max) return this.target;
    // The last step did not get all its connections (nothing left to split): wait.
    if (open < this.target) return this.target;
    if (this.bestRate > 0 && rate < this.bestRate * growthFactor) {
      this.settled = true;
      return this.target;
    }
    this.bestRate = Math.max(this.bestRate, rate);
    this.target = Math.min(this.max, this.target * 2);
    return this.target;
  }
}

/**
 * Connections to open at once for `remaining` bytes of a file whose size is known and
 * whose server takes ranges: one per `bytesPerConnection`, at least one, at most `max`.
 * A large file then does not spend its first second ramping up one doubling at a time
 * (a server that throttles each connection loses most there), while a small one still
 * starts on one connection.
 */
export function initialConnections(max: number, remaining: number, bytesPerConnection: number): number {
  return Math.max(1, Math.min(max, Math.floor(remaining / Math.max(1, bytesPerConnection))));
}

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
