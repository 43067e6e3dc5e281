/**
 * A full garbage collection whenever the process turns idle after a stretch of work (the
 * first retention sweep, a batch of downloads). V8 hands unused heap back to the system
 * after a full collection, and whether the last collection before going idle was a full
 * one is chance: `haul serve` sat idle at 72 MB after some starts and 79 MB after others
 * (a grown young generation and garbage nobody collected). A full collection of a heap
 * this size takes about 10 ms; the check every half second costs nothing measurable.
 */
import { builtinUnderFlag } from './core/runtime-flags';

export interface IdleCompactOptions {
  /** How often the CPU used is looked at. @default 500 */
  checkMs?: number;
  /** Idle: under this share of one core during a whole check. @default 0.05 */
  idleShare?: number;
  /** CPU time (ms) used since the last collection that makes the next idle check collect. @default 1000 */
  workMs?: number;
  /** Runs the collection; the default is V8's own `gc`. */
  collect?: () => void;
}

/** V8's `gc`, reached without starting Node with --expose-gc (a new context gets it). */
export function fullCollection(): void {
  const gc = builtinUnderFlag('expose-gc', 'gc') as () => void;
  gc();
}

export function compactWhenIdle(options: IdleCompactOptions = {}): { cancel(): void } {
  const { checkMs = 500, idleShare = 0.05, workMs = 1000, collect = fullCollection } = options;
  let last = process.cpuUsage();
  // Start-up itself (a few hundred ms) is not enough work to collect after.
  let worked = 0;
  const timer = setInterval(() => {
    const used = process.cpuUsage(last);
    last = process.cpuUsage();
    const usedMs = (used.user + used.system) / 1000;
    if (usedMs >= checkMs * idleShare) {
      worked += usedMs;
      return;
    }
    if (worked < workMs) return;
    worked = 0;
    try {
      collect();
    } catch {
      // Memory is given back later anyway; nothing depends on this.
    }
  }, checkMs);
  timer.unref();
  return { cancel: () => clearInterval(timer) };
}
