import { ConnectionRamp } from './connection-ramp';
import type { RampSample } from './ramp-terms';
import type { CounterPoint } from './ramp-window';
import { startPartShare } from './ramp-rules';
import { SpeedMeter } from './speed-meter';
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
  /** Samples when the window being measured ends, or at its looks (see ConnectionRamp.sampleDue). */
  private sampleTimer: NodeJS.Timeout | null = null;
  private moving = false;
  /** The connection whose arrivals time the ramp's windows (see ConnectionRamp.sample). */
  private pacer: PacedConnection | null = null;
  /** The bytes received when bytes last arrived on it, and when (-1 before any). */
  private arrivedBytes = 0;
  private arrivedAt = -1;
  /** The rate the pacer's server paces it to, from its bursts (see BurstMeter.pace); 0 while unknown. */
  private pace = 0;
  /** Samples the ramp (see `begin`); a sample due now that the pace is known, or a step's connections answered. */
  private sampler: ((now: number) => void) | null = null;
  private paceSample: NodeJS.Immediate | null = null;

  /** Starts measuring at once: `received` bytes so far, from now; `setupMs` and `cutFree`: see ConnectionRamp. */
  constructor(
    private readonly settings: EngineSettings,
    max: number,
    trial: number,
    received: number,
    setupMs?: number,
    cutFree = false,
  ) {
    this.ramp = new ConnectionRamp(max, trial, 2 * settings.rampIntervalMs, setupMs, cutFree);
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
    if (!known && this.pace > 0) this.sampleSoon();
  }

  /**
   * A connection's answer came, with `waiting` of those open that have had none yet: the
   * last of a step's connections to answer starts its measure (see ConnectionRamp.sample).
   */
  answered(waiting: number): void {
    if (waiting === 0 && this.ramp.awaitsAnswers) this.sampleSoon();
  }

  /** A sample out of the socket's read, which it may not open connections from. */
  private sampleSoon(): void {
    if (!this.sampler || this.paceSample) return;
    this.paceSample = setImmediate(() => {
      this.paceSample = null;
      this.sampler?.(this.settings.now());
    });
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
    if (this.sampleTimer) clearTimeout(this.sampleTimer);
    this.sampleTimer = null;
    this.sampler = null;
    if (this.paceSample) clearImmediate(this.paceSample);
    this.paceSample = null;
    if (this.moving) movingTransfers -= 1;
    this.moving = false;
  }

  /**
   * True at each ramp interval's tick, unless a sample came less than half an interval
   * before (one the first window's looks or a pace took): a tick a moment short of the
   * interval since such a sample waited a whole interval more, and the window it would
   * have ended with it (a step measured 363 ms after it started, where windows are 200).
   */
  due(now: number): boolean {
    return now - this.lastAt >= this.settings.rampIntervalMs / 2;
  }

  /**
   * Feeds the ramp the bytes received so far, the connections open, the bytes still to
   * fetch, and the connections' waits since the last sample (`waits`: for the disk, for
   * their requests' first byte, and those whose first answer has not come yet); returns
   * the connections it asks for.
   */
  sample(
    now: number,
    received: number,
    open: number,
    remaining: number,
    waits: Pick<RampSample, 'diskWaitMs' | 'waiting' | 'answerWaitMs'> = {},
  ): number {
    this.lastAt = now;
    this.rate = this.meter.sample(received, now) || this.rate;
    const arrival: CounterPoint | null =
      this.arrivedAt < 0 ? null : { received: this.arrivedBytes, at: this.arrivedAt };
    const target = this.ramp.sample(received, now, open, remaining, {
      ...waits,
      busy: this.busyShare(),
      alone: movingTransfers === 1,
      arrival,
      paced: this.pace,
    });
    this.armSample(now);
    return target;
  }

  /**
   * A sample when the window ends: the ramp interval's ticks fall anywhere in a window, and
   * the tick after its end measured it up to an interval late, with that much less of the
   * file left to decide on. In a step's window that may end early, also at its looks (see
   * ConnectionRamp.sampleDue).
   */
  private armSample(now: number): void {
    if (this.sampleTimer) clearTimeout(this.sampleTimer);
    this.sampleTimer = null;
    const at = this.ramp.sampleDue;
    if (at === null || !this.sampler) return;
    this.sampleTimer = setTimeout(
      () => {
        this.sampleTimer = null;
        this.sampler?.(this.settings.now());
      },
      Math.max(1, Math.ceil(at - now)),
    );
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
