/**
 * A full garbage collection whenever the process turns idle after a stretch of work (the
 * first retention sweep, a batch of downloads). V8 hands unused heap back to the system
 * after a full collection, and whether the last collection before going idle was a full
 * one is chance: `haul serve` sat idle at 72 MB after some starts and 79 MB after others
 * (a grown young generation and garbage nobody collected). A full collection of a heap
 * this size takes about 10 ms. The check looks every 5 s while nothing happens and every
 * half second while the process works.
 */
import { builtinUnderFlag } from './core/runtime-flags';

export interface IdleCompactOptions {
  /** How often the CPU used is looked at while the process works or has something to collect. @default 500 */
  checkMs?: number;
  /** How often it is looked at otherwise: an idle process is not woken twice a second. @default 5000 */
  idleCheckMs?: number;
  /** Idle: under this share of one core for `checkMs` (that much CPU time, however long a look waited). @default 0.05 */
  idleShare?: number;
  /** CPU time (ms) used since the last collection that makes the next idle check collect. @default 1000 */
  workMs?: number;
  /** Runs the collection; the default is V8's own `gc`. */
  collect?: () => void;
  /** The process's CPU time so far (tests count the checks with it). @default process.cpuUsage */
  cpuUsage?: () => NodeJS.CpuUsage;
}

/** V8's `gc`, reached without starting Node with --expose-gc (a new context gets it). */
export function fullCollection(): void {
  const gc = builtinUnderFlag('expose-gc', 'gc') as () => void;
  gc();
}

export function compactWhenIdle(options: IdleCompactOptions = {}): { cancel(): void } {
  const {
    checkMs = 500,
    idleCheckMs = 5000,
    idleShare = 0.05,
    workMs = 1000,
    collect = fullCollection,
    cpuUsage = () => process.cpuUsage(),
  } = options;
  /** CPU time (ms) that makes a check busy, however long it waited: a share of `checkMs`. */
  const busyMs = checkMs * idleShare;
  const cpuMs = (): number => {
    const { user, system } = cpuUsage();
    return (user + system) / 1000;
  };
  let last = cpuMs();
  // Start-up itself (a few hundred ms) is not enough work to collect after.
  let worked = 0;
  let timer: NodeJS.Timeout;
  const check = (): void => {
    const now = cpuMs();
    const usedMs = now - last;
    last = now;
    const busy = usedMs >= busyMs;
    if (busy) {
      worked += usedMs;
    } else if (worked >= workMs) {
      worked = 0;
      try {
        collect();
      } catch {
        // Memory is given back later anyway; nothing depends on this.
      }
    }
    // Work counts whenever it is seen (the CPU time adds up between checks), so an idle
    // process looks rarely; one that works looks often, to collect soon after it stops.
    timer = setTimeout(check, busy || worked >= workMs ? checkMs : idleCheckMs);
    timer.unref();
  };
  timer = setTimeout(check, idleCheckMs);
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
}
