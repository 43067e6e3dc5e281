import type { Job } from '../../../src-common/contract';
import type { Clock } from '../clock';

/**
 * Calls waiting past this many commit at the end of the turn, window or not: one
 * transaction stays short on the main thread (a completion's writes take about 70 µs).
 */
const maxWaiting = 64;

/**
 * Calls that commit together (see JobRegistry.transitionSoon): one transaction for all of
 * them; when it throws, nothing of it was written, and each call commits, or fails, alone.
 * A call commits once the event loop's turn is over, or, given a window, within that
 * long: the calls of the turns in between share its commit. A turn's commit takes the
 * calls waiting for a window with it.
 */
export class GroupedCommits<Call> {
  private readonly waiting: { call: Call; resolve: (job: Job) => void; reject: (error: unknown) => void }[] = [];
  private turn: ReturnType<typeof setImmediate> | undefined;
  private window: unknown;

  constructor(
    private readonly together: (calls: Call[]) => Job[],
    private readonly alone: (call: Call) => Job,
    /** The window's timer. */
    private readonly clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>,
  ) {}

  /** Waits for the next commit, at the latest `withinMs` from now (0: this turn's end); answers the job as the call left it. */
  add(call: Call, withinMs = 0): Promise<Job> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ call, resolve, reject });
      if (withinMs > 0 && this.waiting.length < maxWaiting) {
        this.window ??= this.clock.setTimeout(() => this.commit(), withinMs);
      } else {
        this.turn ??= setImmediate(() => this.commit());
      }
    });
  }

  /** Commits what waits, now. */
  commit(): void {
    if (this.turn !== undefined) clearImmediate(this.turn);
    this.turn = undefined;
    if (this.window !== undefined) this.clock.clearTimeout(this.window);
    this.window = undefined;
    const batch = this.waiting.splice(0);
    if (batch.length === 0) return;
    let jobs: Job[];
    try {
      jobs = this.together(batch.map((waiting) => waiting.call));
    } catch {
      for (const { call, resolve, reject } of batch) {
        try {
          resolve(this.alone(call));
        } catch (error) {
          reject(error);
        }
      }
      return;
    }
    batch.forEach(({ resolve }, i) => resolve(jobs[i]!));
  }
}
