import { pacedPayoffMs, pacedStepAnswers, stepSetupAnswers } from './ramp-rules';

/**
 * When the connection ramp's last step was taken, and how long its connections took to
 * answer. Once all of a step's have (within a window of it), its window starts three
 * answer times after the step (see stepSetupAnswers) instead of a whole window later: the
 * window after a step was left out for the new connections' setup, which their answers and
 * a few round trips end. nginx pacing each connection with `limit_rate`, no bursts to read
 * a pace from: 64 MiB tried four connections 35-60 ms in, measured them 0.4 s later with
 * 20 MiB left, too little for eight to pay, and took 0.89-0.91 s on four where aria2c -x8
 * took 0.53 s.
 */
export class StepAnswers {
  /** When the step being started was taken; null once its connections answered. */
  at: number | null = null;
  /** When the window of a step whose connections answered starts. */
  windowAt: number | null = null;
  /** How long the last step's connections took to answer, all of them; null when not known. */
  private answerMs: number | null = null;

  constructor(private readonly windowMs: number) {}

  /** A step was taken at `now`: its connections have not answered yet. */
  taken(now: number): void {
    this.at = now;
    this.answerMs = null;
    this.windowAt = null;
  }

  /** No step is being started or waited for (the ramp started, or settled). */
  clear(): void {
    this.at = null;
    this.windowAt = null;
  }

  /** `waiting` of the step's connections have not answered at `now`. */
  heard(now: number, waiting: number): void {
    const stepAt = this.at!;
    if (waiting === 0) {
      // The step's connections all answered: its window starts once they had time to
      // reach their pace, when that is within a window of the step.
      this.answerMs = now - stepAt;
      this.at = null;
      const startAt = stepAt + stepSetupAnswers * this.answerMs;
      if (startAt - stepAt < this.windowMs) this.windowAt = Math.max(now, startAt);
    } else if (now - stepAt >= this.windowMs) {
      // Some have not answered in a window: that window is left out, as it always was.
      this.at = null;
    }
  }

  /** The payoff of a step after one that showed a server pacing each connection (see pacedStepAnswers). */
  pacedPayoffMs(): number {
    if (this.answerMs === null) return pacedPayoffMs;
    return Math.min(pacedPayoffMs, Math.max(this.windowMs, pacedStepAnswers * this.answerMs));
  }
}
