/**
 * How many connections a download should use. It starts on one. When the rest of the
 * file would take long enough at that speed for more connections to pay for their
 * requests, it tries more at once (the trial), measured against a warm rate: one that
 * no longer rises on its own; it keeps them only when they clearly raised throughput,
 * then doubles again while each step keeps paying (or goes to the maximum at once when
 * each added connection brought what one brings), and otherwise drops back to the count
 * before the step. A link, or a disk, that one connection fills keeps one.
 */

import {
  busyGainFactor,
  cpuBoundShare,
  gainFactor,
  growthFactor,
  maxAnswerShare,
  nearTrialBusyShare,
  pacedShare,
  payoffMs,
  retryAfterMs,
  startPartShare,
} from './ramp-rules';
import { FirstTrial } from './first-trial';
import { RampWindow, type CounterPoint } from './ramp-window';
import type { RampSample, WindowTerms } from './ramp-terms';
import { StepAnswers } from './step-answers';

export class ConnectionRamp {
  private target = 1;
  /** The count before the last step, and the throughput measured with it. */
  private before = 1;
  private beforeRate = 0;
  private done = false;
  /**
   * The window after a step holds the new connections' setup, and a first window whose
   * start is unknown holds part of the download's start: neither is measured.
   */
  private skipNext = true;
  /** The window being measured. */
  private readonly window: RampWindow;
  private next: number;
  private settledAt = 0;
  private retryMs = retryAfterMs;
  private firstWindow = false;
  /** Whether to try more connections at all, measured against a warm rate. */
  private readonly firstTrial: FirstTrial;
  /** The step being measured was taken from a window that ended early. */
  private fromShortWindow = false;
  /** A step dropped against an early window's rate, until the count before it is measured. */
  private recheck: { count: number; rate: number; waiting: boolean } | null = null;
  /** The pace of the first connection's server was taken as a measure (once, see `sample`). */
  private paceTaken = false;
  /** The last step's start and its connections' answers. */
  private readonly steps: StepAnswers;
  /** The window measured started from its step's answers, and may end early (see pacedStepRate). */
  private stepLook = false;

  /**
   * `trial`: connections tried at once after the first measurement (at least 2).
   * `windowMs`: how long each measurement lasts; several of a server's bursts.
   * `setupMs`: how long the download's first answer took to come; unknown by default.
   * `cutFree`: the first answer ends by itself (a first piece), so a trial cuts nothing
   * and costs only its requests: its payoff is the paced one at most (see pacedPayoffMs),
   * and so is that of each step after one that gained, since work then goes out in
   * bounded pieces and no step cuts either. Through a relay 10 ms each way from nginx
   * pacing 20 MiB/s a connection, 32 MiB stayed on two connections in four runs of six
   * (two read a gain, below the 1.6 times one of a server seen pacing each, with the rest
   * under the whole payoff), 1.22-1.37 s; stepping on, none of six stayed on two (three
   * went to four, three to eight), 0.71-1.01 s.
   */
  constructor(
    private readonly max: number,
    private readonly trial = 2,
    private readonly windowMs = 0,
    setupMs = Number.POSITIVE_INFINITY,
    private readonly cutFree = false,
  ) {
    this.window = new RampWindow(windowMs);
    this.steps = new StepAnswers(windowMs);
    this.next = Math.max(2, trial);
    this.firstTrial = new FirstTrial(setupMs, cutFree);
    if (max <= 1) this.done = true;
  }

  /**
   * Starts measuring at the moment the download's first answer opened, with the bytes
   * received so far: the first window is then measured, not skipped, so a slow server is
   * found out within one window. Only the first window after a sample without a start
   * is skipped, since it would hold an unknown share of the start.
   */
  start(received: number, now: number): void {
    this.markWindow(received, now, null);
    this.window.lastNow = now;
    this.skipNext = false;
    this.steps.clear();
    this.firstWindow = true;
    this.window.look = null;
    this.firstTrial.start();
  }

  get connections(): number {
    return this.target;
  }

  /**
   * The connections work is sized for: the target once settled; while measuring, the most
   * a step may reach (the maximum, see pacedShare). Pieces sized for fewer would leave a
   * step's new connections nothing to take but the second half of a piece in flight, and
   * the connection fetching it is then cut with the bytes it has in flight: a file of 24
   * or 32 MiB from a server pacing each connection to 2 MiB/s, doubling from two to eight
   * connections, was sent 1.2-3.6% twice.
   */
  get sharing(): number {
    return this.done ? this.target : this.max;
  }

  /** True once the count no longer changes by measurement. */
  get settled(): boolean {
    return this.done;
  }

  /**
   * True until the first trial, and while it is measured: a pace seen then (see `sample`)
   * is taken at once.
   */
  get awaitsPace(): boolean {
    if (this.done || this.paceTaken || this.recheck) return false;
    return this.beforeRate === 0 ? this.target === 1 : this.before === 1 && this.target < this.max;
  }

  /**
   * True from a step until each of its connections has answered, within a window of it:
   * when its measure starts is then known (see `sample`), so a sample is due when the
   * last answers.
   */
  get awaitsAnswers(): boolean {
    return this.steps.at !== null && this.skipNext && !this.done;
  }

  /**
   * When the window being measured ends (the settings' clock), for a sample then; null
   * while none is (settled, the first window, which is sampled often, or a step's
   * connections still to answer). A step's window start that passed while fewer
   * connections ran than asked for (`sample` marked the window again instead) is taken
   * by a later sample once they run: a window from that mark, not the start again, or
   * the transfer would sample at once, every millisecond, until the download ended.
   */
  get windowEnd(): number | null {
    const mark = this.window.mark;
    if (this.done || mark === null || this.firstWindow || this.awaitsAnswers) return null;
    const start = this.steps.windowAt;
    return start !== null && start > mark.at ? start : mark.at + this.windowMs;
  }

  /**
   * When a sample is next due (the settings' clock): the window's end (see windowEnd), or
   * sooner in a step's window that may end early (see pacedStepRate): where its start
   * part ends, then each eighth of a window, as in the first window.
   */
  get sampleDue(): number | null {
    const end = this.windowEnd;
    if (end === null || !this.stepLook || this.steps.windowAt !== null) return end;
    const { mark, look: first, lastNow } = this.window;
    const look = first === null ? mark!.at + this.windowMs * startPartShare : lastNow + this.windowMs / 8;
    return Math.min(end, look);
  }

  /** True while the first window is measured: it may end early, so it is sampled often. */
  get looking(): boolean {
    return this.firstWindow && !this.done;
  }

  /**
   * Feeds the bytes received so far (a growing counter) at `now`, the connections
   * running and the bytes still to fetch, and what else is known since the last call
   * (`seen`); measures once a window is over. Returns the new target.
   */
  sample(received: number, now: number, open: number, remaining: number, seen: RampSample = {}): number {
    const { busy = 0, alone = true, diskWaitMs = 0, paced = 0, waiting, answerWaitMs = 0 } = seen;
    const arrival = seen.arrival === undefined ? { received, at: now } : seen.arrival;
    const window = this.window;
    window.feed(now, busy, diskWaitMs, answerWaitMs);
    if (this.done) {
      if (this.target >= this.max || now - this.settledAt < this.retryMs) return this.target;
      // Measure again from the count it settled on, then try one step up.
      this.done = false;
      this.beforeRate = 0;
      this.skipNext = true;
      window.mark = null;
      this.next = this.target * 2;
      this.retryMs *= 2;
      this.firstTrial.measureAgain();
    }
    const mark = window.mark;
    if (open < this.target || mark === null) {
      this.markWindow(received, now, arrival);
      return this.target;
    }
    if (this.awaitsAnswers && waiting !== undefined) this.steps.heard(now, waiting);
    if (this.steps.windowAt !== null) {
      if (now < this.steps.windowAt) return this.target;
      this.steps.windowAt = null;
      this.skipNext = false;
      this.markWindow(received, now, arrival);
      this.stepLook = true;
      window.look = null;
      return this.target;
    }
    const elapsed = now - mark.at;
    if (elapsed <= 0) return this.target;
    const share = window.busyMs / elapsed;
    const paceKnown = paced > 0 && this.awaitsPace;
    if (paceKnown && this.beforeRate > 0 && this.couldCarryMax(share, open)) {
      // The first trial learns that the server paces each connection: it goes to the
      // maximum, still measured against the one connection before it. No payoff of its
      // own: the trial passed the first one, and each connection added brings the pace
      // (16 MiB at 20 MiB/s a connection: 370 ms left on two, 0.16-0.20 s in all on eight
      // against 0.35 s on two).
      this.paceTaken = true;
      this.target = this.max;
      this.skipNext = true;
      this.steps.taken(now);
      return this.target;
    }
    // The pace before the first trial: taken as the measure at once, the thread mostly idle.
    const fromPace = paceKnown && share < nearTrialBusyShare && !this.skipNext;
    let rate = ((received - mark.received) * 1000) / elapsed;
    if (fromPace) {
      rate = paced;
      this.firstTrial.warming = false;
    } else if (elapsed < this.windowMs) {
      if (this.stepLook) rate = this.pacedStepRate(received, now, share);
      else rate = this.firstWindow ? this.firstTrial.earlyRate(window, received, now, remaining, share) : 0;
      if (this.firstWindow || this.stepLook) window.lookAt(received, now);
      if (rate === 0) return this.target;
    } else {
      rate = window.arrivalRate(arrival) ?? rate;
    }
    const disk = window.diskMs / (elapsed * Math.max(1, open));
    const fetching = 1 - Math.min(maxAnswerShare, window.answerMs / (elapsed * Math.max(1, open)));
    this.markWindow(received, now, arrival);
    this.firstWindow = false;
    const early = fromPace || elapsed < this.windowMs;
    return this.observe(rate, open, remaining, { busy: share, alone, disk, early, paceKnown, fetching });
  }

  /**
   * Feeds the throughput (bytes/s) measured over the last window, during which `open`
   * connections were running, the bytes still to fetch, and what the rate is judged with
   * (`terms`). Returns the new target.
   */
  observe(rate: number, open: number, remaining: number, terms: WindowTerms = {}): number {
    const { busy = 0, alone = true, disk = 0, early = false, paceKnown = false, fetching = 1 } = terms;
    if (this.done || open < this.target) return this.target;
    if (this.skipNext) {
      this.skipNext = false;
      return this.target;
    }
    if (this.recheck) {
      // The count before the step, measured over a whole window once the dropped connections
      // ended: the step gained after all when its rate beats this one; it is taken again and
      // measured against this rate.
      if (this.recheck.waiting) {
        // Not measured while they run, nor the window the last of them ended in.
        this.recheck.waiting = open > this.target;
        return this.target;
      }
      const { count, rate: stepRate } = this.recheck;
      this.recheck = null;
      if (stepRate < rate * gainFactor) return this.settle(this.target);
      // A step that brought a little is kept, as when measured right (see gainFactor).
      if (stepRate < rate * growthFactor || (remaining / rate) * 1000 < payoffMs) {
        this.step(count);
        return this.settle(this.target);
      }
      this.beforeRate = rate;
      return this.step(count);
    }
    if (this.beforeRate === 0) {
      if (rate <= 0) return this.target;
      const verdict = this.firstTrial.judge(rate, remaining, { busy, alone, disk, early, paceKnown });
      if (verdict !== 'try') return verdict === 'wait' ? this.target : this.settle(this.target);
      this.beforeRate = Math.max(rate, this.firstTrial.warmRate);
      this.fromShortWindow = early;
      this.paceTaken = paceKnown;
      return this.step(paceKnown ? this.max : this.next);
    }
    const fromShortWindow = this.fromShortWindow;
    this.fromShortWindow = false;
    // Measured against a window that ended early, a step that did not clearly pay is
    // measured again (see dropToRecheck).
    if (fromShortWindow && rate < this.beforeRate * growthFactor) return this.dropToRecheck(rate);
    if (rate < this.beforeRate * gainFactor) return this.settle(this.before);
    if (busy >= cpuBoundShare && rate < this.beforeRate * busyGainFactor) return this.settle(this.before);
    if (rate < this.beforeRate * growthFactor) return this.settle(this.target);
    const paced = rate >= this.pacedRate() * fetching;
    if (this.paceTaken && this.before === 1 && this.target === this.max && !paced) {
      // Taken to the maximum from the pace, the connections did not each bring their share:
      // the server caps them all together. It keeps what the rate measured carries.
      return this.settle(Math.min(this.target, Math.ceil(rate / this.beforeRate)));
    }
    if (this.target >= this.max) return this.settle(this.target);
    if ((remaining / rate) * 1000 < (paced || this.cutFree ? this.steps.pacedPayoffMs() : payoffMs))
      return this.settle(this.target);
    if (busy >= cpuBoundShare) return this.settle(this.target);
    this.beforeRate = rate;
    return this.step(paced ? this.max : this.target * 2);
  }

  /**
   * While the first trial is measured: the main thread, busy for `share` of the time with
   * `open` connections, could carry the maximum's rate as well (its busy share scaled by
   * the connections, under `cpuBoundShare`), or was mostly idle (see nearTrialBusyShare).
   * 64 MiB at 20 MiB/s a connection on a slower machine: the pace seen only once a trial
   * of four ran, with the thread 26-35% busy, waited out the window at four (0.58-0.63 s)
   * where going on to eight then took 0.43-0.45 s.
   */
  private couldCarryMax(share: number, open: number): boolean {
    return share < nearTrialBusyShare || (share * this.max) / Math.max(1, open) < cpuBoundShare;
  }

  /**
   * In the window of a step whose connections all answered (see stepSetupAnswers): its
   * steady rate (see steadyRate) once it shows the step paced, each connection added having
   * brought its share (see pacedShare); 0 otherwise, and the whole window decides. The next
   * step then comes that much sooner: nginx pacing each connection to 20 MiB/s, 16 MiB
   * measured its two connections 215 ms after the step with 6.8 MiB left, too little for
   * the step to eight to pay (0.44 s; aria2c -x8 0.15 s), and 64 MiB its four 247 ms after.
   * Only a step that paid ends early: one that did not is measured over a whole window, since
   * a short one may miss a burst.
   */
  private pacedStepRate(received: number, now: number, busy: number): number {
    if (busy >= cpuBoundShare || this.beforeRate <= 0 || this.target <= this.before) return 0;
    const rate = this.window.steadyRate(received, now);
    return rate >= this.pacedRate() ? rate : 0;
  }

  /** The rate of the last step when each connection it added brought its share (see pacedShare). */
  private pacedRate(): number {
    return this.beforeRate * (1 + (pacedShare * (this.target - this.before)) / this.before);
  }

  /**
   * Drops a step measured against a window that ended early, but not for good: a short
   * window can misread a server that sends in bursts (one paced to 2 MiB/s a connection
   * in bursts of 50 ms read as 4 MiB/s over the 50 ms after the first look, and a trial of
   * two connections, at 4 MiB/s, as no gain). The count before is measured over a whole
   * window once the dropped connections have ended their pieces (the window the last one
   * ends in is not measured); the step is taken again when its rate beat that measure.
   */
  private dropToRecheck(stepRate: number): number {
    this.recheck = { count: this.target, rate: stepRate, waiting: true };
    this.target = this.before;
    return this.target;
  }

  /** A measurement window begins (see RampWindow.begin), not a step's that may end early. */
  private markWindow(received: number, now: number, arrival: CounterPoint | null): void {
    this.window.begin(received, now, arrival);
    this.stepLook = false;
  }

  private step(next: number): number {
    this.before = this.target;
    this.target = Math.min(this.max, next);
    this.skipNext = true;
    this.steps.taken(this.window.lastNow);
    this.stepLook = false;
    return this.target;
  }

  private settle(count: number): number {
    this.target = count;
    this.done = true;
    this.steps.clear();
    this.stepLook = false;
    this.settledAt = this.window.lastNow;
    return count;
  }
}
