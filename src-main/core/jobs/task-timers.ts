import type { Clock } from '../clock';

type TimerKind = 'heartbeat' | 'deadline' | 'retry';

/**
 * The three clocks a task can run against, per task: its creator's heartbeat, its
 * attempt's deadline (timeoutSec) and the end of a retry delay. Each fires once; arming
 * one again replaces it. All on the core's clock, so tests drive time.
 */
export class TaskTimers {
  private readonly timers = new Map<string, Map<TimerKind, unknown>>();

  constructor(private readonly clock: Clock) {}

  arm(id: string, kind: TimerKind, at: number, fire: () => void): void {
    this.clear(id, kind);
    let own = this.timers.get(id);
    if (!own) {
      own = new Map();
      this.timers.set(id, own);
    }
    const handle = this.clock.setTimeout(
      () => {
        if (this.timers.get(id)?.get(kind) !== handle) return;
        this.timers.get(id)?.delete(kind);
        fire();
      },
      Math.max(0, at - this.clock.now()),
    );
    own.set(kind, handle);
  }

  clear(id: string, kind?: TimerKind): void {
    const own = this.timers.get(id);
    if (!own) return;
    for (const [name, handle] of own) {
      if (kind !== undefined && name !== kind) continue;
      this.clock.clearTimeout(handle);
      own.delete(name);
    }
    if (own.size === 0) this.timers.delete(id);
  }

  has(id: string, kind: TimerKind): boolean {
    return this.timers.get(id)?.has(kind) ?? false;
  }

  closeAll(): void {
    for (const id of [...this.timers.keys()]) this.clear(id);
  }
}
