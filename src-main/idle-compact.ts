/**
 * One full garbage collection once start-up work is over. V8 hands unused heap back to the
 * system only after a full collection, and whether the last collection of start-up (the
 * first retention sweep included) was a full one is chance: `haul serve` sat idle at
 * 72 MB in some starts and 79 MB in others, the difference a grown young generation and
 * garbage nobody collected. A full collection of a heap this size takes about 10 ms.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface IdleCompactOptions {
  /** How often the CPU used is looked at. @default 1000 */
  checkMs?: number;
  /** Idle: under this share of one core during a whole check. @default 0.05 */
  idleShare?: number;
  /** Gives up after this many busy checks (a download running from the start). @default 60 */
  maxChecks?: number;
  /** Runs the collection; the default is V8's own `gc`. */
  collect?: () => void;
}

/** V8's `gc`, reached without starting Node with --expose-gc (a new context gets it). */
export function fullCollection(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  setFlagsFromString('--no-expose-gc');
  gc();
}

/** Waits until the process is idle, collects once, and stops looking; `cancel` stops it sooner. */
export function compactWhenIdle(options: IdleCompactOptions = {}): { cancel(): void } {
  const { checkMs = 1000, idleShare = 0.05, maxChecks = 60, collect = fullCollection } = options;
  let last = process.cpuUsage();
  let checks = 0;
  const timer = setInterval(() => {
    const now = process.cpuUsage(last);
    last = process.cpuUsage();
    checks += 1;
    const idle = (now.user + now.system) / 1000 < checkMs * idleShare;
    if (!idle && checks < maxChecks) return;
    clearInterval(timer);
    if (!idle) return;
    try {
      collect();
    } catch {
      // Memory is given back later anyway; nothing depends on this.
    }
  }, checkMs);
  timer.unref();
  return { cancel: () => clearInterval(timer) };
}
