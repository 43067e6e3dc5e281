import type { Job } from '../../../src-common/contract';

/**
 * Calls that commit together once the event loop's turn is over (see
 * JobRegistry.transitionSoon): one transaction for all of them; when it throws, nothing
 * of it was written, and each call commits, or fails, alone.
 */
export class GroupedCommits<Call> {
  private readonly waiting: { call: Call; resolve: (job: Job) => void; reject: (error: unknown) => void }[] = [];
  private timer: ReturnType<typeof setImmediate> | undefined;

  constructor(
    private readonly together: (calls: Call[]) => Job[],
    private readonly alone: (call: Call) => Job,
  ) {}

  /** Waits for the next commit; answers the job as the call left it. */
  add(call: Call): Promise<Job> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ call, resolve, reject });
      this.timer ??= setImmediate(() => this.commit());
    });
  }

  /** Commits what waits, now. */
  commit(): void {
    if (this.timer !== undefined) clearImmediate(this.timer);
    this.timer = undefined;
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
