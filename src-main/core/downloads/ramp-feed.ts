import { ConnectionRamp, SpeedMeter, startPartShare, type CounterPoint } from './connection-ramp';
import type { EngineSettings } from './engine-options';

/**
 * Transfers moving bytes in this process now. With one, the main thread's busy share is
 * that download's own, which the ramp may read as its CPU cost (see ConnectionRamp).
 */
let movingTransfers = 0;

/** A connection as the feed sees it: the rate its server paces it to, 0 while unknown. */
export interface PacedConnection {
  readonly pace: number;
}

/**
 * A transfer round's connection ramp and what it measures besides the bytes: the main
 * thread's busy share since the last sample, whether this is the only transfer moving
 * bytes, and the throughput between samples (which sizes the plan's smallest piece).
 */
export class RampFeed {
  readonly ramp: ConnectionRamp;
  /** Throughput between the last two samples, bytes/s; the one before when it was 0. */
  rate = 0;
  private readonly meter = new SpeedMeter();
  private lastAt: number;
  /** The main thread's busy and idle time at the last sample. */
  private loopAt: { active: number; idle: number };
  private looker: NodeJS.Timeout | null = null;
  private moving = false;
  /** The connection whose arrivals time the ramp's windows (see ConnectionRamp.sample). */
  private pacer: PacedConnection | null = null;
  /** The bytes received when bytes last arrived on it, and when (-1 before any). */
  private arrivedBytes = 0;
  private arrivedAt = -1;
  /** The rate the pacer's server paces it to, from its bursts (see BurstMeter.pace); 0 while unknown. */
  private pace = 0;
  /** Samples the ramp (see `begin`); a sample due now that the pace is known. */
  private sampler: ((now: number) => void) | null = null;
  private paceSample: NodeJS.Immediate | null = null;

  /** Starts measuring at once: `received` bytes so far, from now; `setupMs`: see ConnectionRamp. */
  constructor(
    private readonly settings: EngineSettings,
    max: number,
    trial: number,
    received: number,
    setupMs?: number,
  ) {
    this.ramp = new ConnectionRamp(max, trial, 2 * settings.rampIntervalMs, setupMs);
    this.lastAt = settings.now();
    this.ramp.start(received, this.lastAt);
    this.loopAt = settings.loopTime();
  }

  /**
   * Bytes arrived on `connection` at `at` (the settings' clock, read once by the caller for
   * the socket read), `received` in all then. The first to bring any times the windows.
   */
  arrived(connection: PacedConnection, received: number, at: number): void {
    this.pacer ??= connection;
    if (connection !== this.pacer) return;
    // Two numbers, not an object: this runs for each of the connection's socket reads.
    this.arrivedBytes = received;
    this.arrivedAt = at;
    // The pace matters only until the first trial is measured.
    if (!this.ramp.awaitsPace) return;
    const known = this.pace > 0;
    this.pace = connection.pace;
    if (!known && this.pace > 0 && this.sampler && !this.paceSample) {
      // Out of the socket's read: the sample may open connections.
      this.paceSample = setImmediate(() => {
        this.paceSample = null;
        this.sampler?.(this.settings.now());
      });
    }
  }

  /** `connection` ended: the next to bring bytes times the windows. */
  ended(connection: PacedConnection): void {
    if (connection !== this.pacer) return;
    this.pacer = null;
    this.pace = 0;
  }

  /**
   * The round moves bytes: counted among the moving transfers until `stop`. Its first
   * window may end early (see startPartShare), so `sample` is called where its start
   * ends and then at each eighth of a window until that window ends; the ramp interval
   * does the rest.
   */
  begin(sample: (now: number) => void): void {
    movingTransfers += 1;
    this.moving = true;
    this.sampler = sample;
    const windowMs = 2 * this.settings.rampIntervalMs;
    const look = (): void => {
      if (!this.ramp.looking) return this.stopLooking();
      sample(this.settings.now());
      this.looker = setTimeout(look, windowMs / 8);
    };
    // A ramp with one connection to give (a small file, no ranges) has nothing to look at.
    if (this.ramp.looking) this.looker = setTimeout(look, windowMs * startPartShare);
  }

  stop(): void {
    this.stopLooking();
    this.sampler = null;
    if (this.paceSample) clearImmediate(this.paceSample);
    this.paceSample = null;
    if (this.moving) movingTransfers -= 1;
    this.moving = false;
  }

  /** True when a ramp interval has passed since the last sample. */
  due(now: number): boolean {
    return now - this.lastAt >= this.settings.rampIntervalMs;
  }

  /**
   * Feeds the ramp the bytes received so far, the connections open, the bytes still to
   * fetch and the connections' waits for the disk since the last sample; returns the
   * connections it asks for.
   */
  sample(now: number, received: number, open: number, remaining: number, diskWaitMs: number): number {
    this.lastAt = now;
    this.rate = this.meter.sample(received, now) || this.rate;
    const alone = movingTransfers === 1;
    const arrival: CounterPoint | null =
      this.arrivedAt < 0 ? null : { received: this.arrivedBytes, at: this.arrivedAt };
    return this.ramp.sample(received, now, open, remaining, this.busyShare(), alone, diskWaitMs, arrival, this.pace);
  }

  private stopLooking(): void {
    if (this.looker) clearTimeout(this.looker);
    this.looker = null;
  }

  /** The share of the time since the last call that the main thread was busy. */
  private busyShare(): number {
    const { active, idle } = this.settings.loopTime();
    const busy = active - this.loopAt.active;
    const total = busy + idle - this.loopAt.idle;
    this.loopAt = { active, idle };
    return total > 0 ? busy / total : 0;
  }
}
