import {
  clearlySlowAt,
  cpuBoundShare,
  diskBoundShare,
  growthFactor,
  nearTrialBusyShare,
  nearTrialMinRate,
  pacedPayoffMs,
  payoffMs,
  slowTrialPayoff,
  trialBusyShare,
  trialPayoff,
  warmFlatWindows,
} from './ramp-rules';
import type { WindowTerms } from './ramp-terms';
import type { RampWindow } from './ramp-window';

/** What a window says before the first trial: measure another, keep the count for good, or try more. */
export type TrialVerdict = 'wait' | 'settle' | 'try';

/**
 * Whether a download tries more connections at all (the connection ramp's first trial): the
 * rest must take long enough on one connection for more to pay for their requests, and the
 * rate is judged once warm, no longer rising on its own. A link, a disk or a main thread
 * that one connection fills keeps one.
 */
export class FirstTrial {
  /**
   * From the ramp's start until the rate stops rising on its own: TCP's slow start and code
   * running for the first time make a download's first windows slower than the link.
   */
  warming = false;
  /** The best rate measured while warming up. */
  warmRate = 0;
  /** Windows in a row that did not rise while warming up. */
  private flatWindows = 0;
  /** A busy window was already forgiven (the first may hold the engine's start). */
  private busyOnce = false;
  /** The disk's share of the window judged before (see diskBoundShare). */
  private lastDisk = 0;
  /** The rest must take longer than this on one connection for the trial (see trialPayoff). */
  readonly payoffMs: number;
  /** The same on a link slower than `nearTrialMinRate` (see slowTrialPayoff). */
  private readonly slowPayoffMs: number;

  /** `setupMs` and `cutFree`: see ConnectionRamp's constructor. */
  constructor(setupMs: number, cutFree: boolean) {
    this.payoffMs = cutFree ? Math.min(pacedPayoffMs, trialPayoff(setupMs)) : trialPayoff(setupMs);
    this.slowPayoffMs = cutFree ? Math.min(this.payoffMs, slowTrialPayoff(setupMs)) : this.payoffMs;
  }

  /** The download's first answer opened: its first windows warm up. */
  start(): void {
    this.warming = true;
    this.warmRate = 0;
    this.flatWindows = 0;
    this.lastDisk = 0;
  }

  /** A settled count is measured again: the window judged last is seconds old. */
  measureAgain(): void {
    this.lastDisk = 0;
  }

  /** Judges a window's `rate` (above 0) with `remaining` bytes to fetch, and its `terms` (see WindowTerms). */
  judge(rate: number, remaining: number, terms: Required<Omit<WindowTerms, 'fetching'>>): TrialVerdict {
    const { busy, alone, early, paceKnown } = terms;
    // A disk's waits come in bursts (its syncs): one window may miss them.
    const disk = Math.max(terms.disk, this.lastDisk);
    this.lastDisk = terms.disk;
    const restMs = (remaining / rate) * 1000;
    if (restMs < this.firstPayoffMs(paceKnown, rate)) return 'settle';
    if (busy >= cpuBoundShare) {
      // The download's first window may be busy with the engine starting: one more.
      if (this.busyOnce) return 'settle';
      this.busyOnce = true;
      this.warmRate = Math.max(this.warmRate, rate);
      return 'wait';
    }
    // On a link clearly slow for the file left, the warm-up is too small to matter; not on
    // one slow only for a file that large (a gigabyte on loopback, its first window 60% busy
    // at about 100 MiB/s with a slow disk, tried eight and dropped them, 0.3-0.9 s slower).
    if (clearlySlowAt(rate, remaining) && rate < nearTrialMinRate) this.warming = false;
    if (this.warming) {
      // Still rising on its own: a step measured against this window would be credited
      // with the rest of the warm-up and look like a gain.
      const rising = this.warmRate === 0 || rate >= this.warmRate * growthFactor;
      this.warmRate = Math.max(this.warmRate, rate);
      this.flatWindows = rising ? 0 : this.flatWindows + 1;
      if (this.flatWindows < warmFlatWindows) return 'wait';
      this.warming = false;
    }
    if (disk >= diskBoundShare) return 'settle';
    if (alone && busy >= trialBusyShare) return 'settle';
    if (alone && busy >= nearTrialBusyShare && restMs < payoffMs && rate >= nearTrialMinRate) {
      // A window that ended early may hold the engine's start: the next, whole one decides.
      return early ? 'wait' : 'settle';
    }
    return 'try';
  }

  /**
   * The first window's rate before its end, from the first answer (see `window`). After half
   * of it: the rate measured, when the rest would take so long at it (`slowFactor` times the
   * payoff) that waiting out the window could not change the decision to try more
   * connections. Earlier, when the rate is steady (see startPartShare) and the rest would
   * take over the payoff at it: that rate, the warm-up over. Otherwise 0: a link still
   * starting is measured over whole windows.
   */
  earlyRate(window: RampWindow, received: number, now: number, remaining: number, busy: number): number {
    const mark = window.mark!;
    const elapsed = now - mark.at;
    // A busy main thread is still starting (or is the limit): the whole window decides.
    if (received <= mark.received || busy >= cpuBoundShare) return 0;
    if (elapsed >= window.windowMs / 2) {
      const rate = ((received - mark.received) * 1000) / elapsed;
      return rate > 0 && clearlySlowAt(rate, remaining) ? rate : 0;
    }
    // Steady is no longer warming up, and the whole window would show the same rate: more
    // connections are tried now wherever they pay for their requests at all. Waiting for
    // the warm-up cost a 128 MiB file at 20 MiB/s a connection about 0.7 s, 1.6 times
    // aria2c's time, where 256 MiB (clearly slow) took 0.9 of it.
    // A part still rising moves the look on a link slower than `nearTrialMinRate` only: a
    // gigabyte on loopback, steady a moment later, would end its warm-up at once.
    const rate = window.steadyRate(received, now, nearTrialMinRate);
    if (!(rate > 0) || (remaining / rate) * 1000 <= this.payoffAt(rate)) return 0;
    this.warming = false;
    return rate;
  }

  /**
   * What the rest must take on one connection for the first trial. With the server's pace
   * known, each connection added brings that pace and pieces are split at its bursts, so
   * the trial costs only its requests: the paced payoff is enough (see pacedPayoffMs). The
   * first answer's time behind the trial's payoff also holds the process's first request
   * (its code compiled): 16 MiB at 20 MiB/s a connection, the first download of the
   * engine on a slower machine, had 618 ms left at the pace against a payoff of about 620
   * ms and stayed on one connection (0.81 s; trials of eight took 0.17-0.32 s).
   */
  private firstPayoffMs(paceKnown: boolean, rate: number): number {
    const payoff = this.payoffAt(rate);
    return paceKnown ? Math.min(payoff, pacedPayoffMs) : payoff;
  }

  /** The payoff at one connection's `rate` (bytes/s): a slow link's where it has one (see slowTrialPayoff). */
  private payoffAt(rate: number): number {
    return rate < nearTrialMinRate ? this.slowPayoffMs : this.payoffMs;
  }
}
