/** Time as the core sees it. Tests pass a manual clock and drive time instead of sleeping. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * The same timers with a monotonic `now` (milliseconds since the process started): for
 * rates and intervals, which a wall-clock change must not bend.
 */
export const monotonicClock: Clock = { ...systemClock, now: () => performance.now() };

/** A clock for tests: `advance(ms)` runs every timer that falls due, in order. */
export class ManualClock implements Clock {
  private current: number;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private nextHandle = 1;

  constructor(start = 1_700_000_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): number {
    const handle = this.nextHandle++;
    this.timers.set(handle, { at: this.current + Math.max(0, ms), fn });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      let due: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry;
      if (!due) break;
      this.timers.delete(due[0]);
      this.current = Math.max(this.current, due[1].at);
      due[1].fn();
    }
    this.current = end;
  }

  get pendingTimers(): number {
    return this.timers.size;
  }
}
