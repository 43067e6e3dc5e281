import { JobFailure } from '../jobs/runner';
import type { EngineSettings } from './engine-options';

/**
 * When a server is too slow to keep a download slot: a connection that receives nothing
 * for the stall timeout, or a download below the minimum speed over a whole window. A
 * server that trickles a byte now and then never trips the stall timer, but must not
 * hold a slot for ever. Both failures are transient: the retry rules decide what follows.
 */
export class SlowServerRules {
  /** Where the current minimum-speed window started (time, bytes done), and the waits in it. */
  private window = { at: 0, done: 0, heldMs: 0 };

  constructor(
    private readonly settings: Pick<EngineSettings, 'stallTimeoutMs' | 'minSpeed' | 'minSpeedWindowMs'>,
    /** The user's speed limit for the download, bytes/s (0: none); read at each check. */
    private readonly speedLimit: () => number,
  ) {}

  /** A new round starts measuring from here. */
  restart(now: number, done: number): void {
    this.window = { at: now, done, heldMs: 0 };
  }

  /** Connections waited `ms` for the disk or a speed limit (summed over them). */
  heldBack(ms: number): void {
    this.window.heldMs += ms;
  }

  /** The connections that have sent nothing for the stall timeout (not those waiting, `activeAt` null). */
  stalled<C extends { activeAt: number | null }>(now: number, connections: Iterable<C>): C[] {
    const { stallTimeoutMs } = this.settings;
    const stalled: C[] = [];
    for (const connection of connections) {
      if (connection.activeAt !== null && now - connection.activeAt > stallTimeoutMs) stalled.push(connection);
    }
    return stalled;
  }

  /** The failure of a stalled connection; `host`: the server's name for the message. */
  stallFailure(host: () => string): JobFailure {
    const seconds = Math.round(this.settings.stallTimeoutMs / 100) / 10;
    return new JobFailure('stalled', `${host()} sent no data for ${seconds} s.`, { transient: true });
  }

  /**
   * The failure to end the download with when it is below the minimum speed, checked once
   * a window; null otherwise. `host`: the server's name for the message.
   */
  check(now: number, done: number, host: () => string): JobFailure | null {
    const { minSpeedWindowMs } = this.settings;
    if (now - this.window.at < minSpeedWindowMs) return null;
    const limit = this.speedLimit();
    const wanted = limit > 0 ? Math.min(limit, this.settings.minSpeed()) : this.settings.minSpeed();
    const rate = ((done - this.window.done) * 1000) / (now - this.window.at);
    // Held back for a quarter of the window or more, by a speed limit (the user's or all
    // downloads' together) or the disk: the server is not the one that was slow.
    const held = this.window.heldMs * 4 >= now - this.window.at;
    this.window = { at: now, done, heldMs: 0 };
    if (wanted <= 0 || rate >= wanted || held) return null;
    const seconds = Math.round(minSpeedWindowMs / 1000);
    // A trickle reads as what it is: "0.3 bytes/s", not "0".
    const sent = rate >= 10 ? Math.round(rate) : Math.round(rate * 10) / 10;
    return new JobFailure(
      'stalled',
      `${host()} sent ${sent} bytes/s over ${seconds} s, below the minimum of ${wanted} bytes/s.`,
      { transient: true },
    );
  }
}
