import { JobFailure } from '../jobs/runner';
import type { EngineSettings } from './engine-options';

/**
 * When a server is too slow to keep a download slot: a connection that receives nothing
 * for the stall timeout, or a download below the minimum speed over a whole window. A
 * server that trickles a byte now and then never trips the stall timer, but must not
 * hold a slot for ever. Both failures are transient: the retry rules decide what follows.
 */
export class SlowServerRules {
  /** Where the current minimum-speed window started: time and bytes done. */
  private window = { at: 0, done: 0 };

  constructor(
    private readonly settings: Pick<EngineSettings, 'stallTimeoutMs' | 'minSpeed' | 'minSpeedWindowMs'>,
    /** The user's speed limit for the download, bytes/s (0: none); read at each check. */
    private readonly speedLimit: () => number,
  ) {}

  /** A new round starts measuring from here. */
  restart(now: number, done: number): void {
    this.window = { at: now, done };
  }

  /**
   * The failure to end the download with, or null. `connections`: each one's last sign
   * of life (`activeAt`, null while it waits for a speed limit or the disk). `host`: the
   * server's name for the message. The minimum speed is checked once a window.
   */
  check(
    now: number,
    done: number,
    connections: Iterable<{ activeAt: number | null }>,
    host: () => string,
  ): JobFailure | null {
    const { stallTimeoutMs, minSpeedWindowMs } = this.settings;
    for (const { activeAt } of connections) {
      if (activeAt !== null && now - activeAt > stallTimeoutMs) {
        const seconds = Math.round(stallTimeoutMs / 100) / 10;
        return new JobFailure('stalled', `${host()} sent no data for ${seconds} s.`, { transient: true });
      }
    }
    if (now - this.window.at < minSpeedWindowMs) return null;
    const limit = this.speedLimit();
    const wanted = limit > 0 ? Math.min(limit, this.settings.minSpeed()) : this.settings.minSpeed();
    const rate = ((done - this.window.done) * 1000) / (now - this.window.at);
    this.window = { at: now, done };
    if (wanted <= 0 || rate >= wanted) return null;
    const seconds = Math.round(minSpeedWindowMs / 1000);
    return new JobFailure(
      'stalled',
      `${host()} sent ${Math.round(rate)} bytes/s over ${seconds} s, below the minimum of ${wanted} bytes/s.`,
      { transient: true },
    );
  }
}
