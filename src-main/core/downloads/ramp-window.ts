import { growthFactor, startPartShare, steadyBusyShare } from './ramp-rules';

/** A point of a growing byte counter: its value, and when it had it (ms). */
export interface CounterPoint {
  received: number;
  at: number;
}

/**
 * One measurement window of the connection ramp (see ConnectionRamp): where it began, its
 * first sample, and how long the main thread was busy and the connections waited for the
 * disk in it.
 */
export class RampWindow {
  /**
   * Where the window began: bytes received and time, and the last arrival before it on the
   * connection that times windows (see ConnectionRamp.sample); null before the first.
   */
  mark: (CounterPoint & { arrival: CounterPoint | null }) | null = null;
  /** The first window's first sample, where its start ends (see startPartShare). */
  look: { received: number; at: number; busyMs: number } | null = null;
  /** When the ramp was last fed. */
  lastNow = 0;
  /** Milliseconds of the window the main thread was busy. */
  busyMs = 0;
  /** Milliseconds of the window the connections waited for the disk or a speed limit, summed. */
  diskMs = 0;
  /** Milliseconds of the window the connections' requests waited for a first byte, summed. */
  answerMs = 0;

  constructor(readonly windowMs: number) {}

  /**
   * Counts the time since the last call, `busy` of it (0 to 1) the main thread was busy, and
   * the connections' waits for the disk and their requests' waits for a first byte since then.
   */
  feed(now: number, busy: number, diskWaitMs: number, answerWaitMs = 0): void {
    this.busyMs += Math.min(1, Math.max(0, busy)) * Math.max(0, now - this.lastNow);
    this.diskMs += Math.max(0, diskWaitMs);
    this.answerMs += Math.max(0, answerWaitMs);
    this.lastNow = now;
  }

  /** A window begins: its bytes, time and arrival, and no busy or disk time yet. */
  begin(received: number, now: number, arrival: CounterPoint | null): void {
    this.mark = { received, at: now, arrival };
    this.busyMs = 0;
    this.diskMs = 0;
    this.answerMs = 0;
  }

  /** Keeps the first sample of a window that may end early (see steadyRate), once. */
  lookAt(received: number, now: number): void {
    this.look ??= { received, at: now, busyMs: this.busyMs };
  }

  /**
   * Bytes/s from the arrival before the window to `to` (see ConnectionRamp.sample); null
   * without both, or when they are less than half a window apart (a connection quiet for
   * most of it).
   */
  arrivalRate(to: CounterPoint | null): number | null {
    const from = this.mark?.arrival ?? null;
    if (!from || !to || to.at - from.at < this.windowMs / 2) return null;
    return ((to.received - from.received) * 1000) / (to.at - from.at);
  }

  /**
   * The rate since the window's first sample (bytes/s) when it is no faster than the part
   * before by `growthFactor`; 0 while the link may still be speeding up, when a part is too
   * short to say (see startPartShare), or when the main thread was too busy in it (see
   * steadyBusyShare). A part still rising under `moveUnder` bytes/s moves the look to now:
   * the next part is measured against all before it, not against the first alone, which
   * may hold the engine's start. 16 MiB 25 ms from nginx pacing 20 MiB/s a connection, a
   * fresh process's first look came 21 ms in (its timer late, the thread 95% busy) with 14
   * MB/s, and every part after it read 20-28 MB/s, "rising": the window ran whole and two
   * warm-up windows followed before the trial (0.78-0.94 s, against 0.27-0.30 s).
   */
  steadyRate(received: number, now: number, moveUnder = 0): number {
    const mark = this.mark!;
    const look = this.look;
    const part = this.windowMs * startPartShare;
    // At half its length: the first sample's timer runs on a clock that may be behind this one.
    if (look === null || look.at - mark.at < part / 2 || now - look.at < 2 * part) return 0;
    if (this.busyMs - look.busyMs >= (now - look.at) * steadyBusyShare) return 0;
    const before = (look.received - mark.received) / (look.at - mark.at);
    const since = (received - look.received) / (now - look.at);
    if (since < before * growthFactor) return since * 1000;
    if (since * 1000 < moveUnder) this.look = { received, at: now, busyMs: this.busyMs };
    return 0;
  }
}
