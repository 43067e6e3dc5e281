/** Jobs whose budget is kept at once; the oldest is forgotten past this. */
const keptJobs = 1000;

/**
 * How many log lines a plugin may write to one job: `perSecond` a second, in bursts of up
 * to `burst`. Each line is a write to the database on the main thread, so a plugin logging
 * in a loop would hold up every download and the API. Lines over the budget are counted and
 * left out; the next line that passes is preceded by a note of how many.
 */
export class LineBudget {
  private readonly jobs = new Map<string, { tokens: number; at: number; dropped: number }>();

  constructor(
    readonly perSecond = 100,
    private readonly burst = 500,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The lines to write for `line`: none over the budget, else the note of those left out first. */
  take(jobId: string, line: string): string[] {
    const now = this.now();
    let entry = this.jobs.get(jobId);
    if (!entry) {
      if (this.jobs.size >= keptJobs) this.jobs.delete(this.jobs.keys().next().value!);
      entry = { tokens: this.burst, at: now, dropped: 0 };
      this.jobs.set(jobId, entry);
    }
    entry.tokens = Math.min(this.burst, entry.tokens + ((now - entry.at) / 1000) * this.perSecond);
    entry.at = now;
    if (entry.tokens < 1) {
      entry.dropped += 1;
      return [];
    }
    entry.tokens -= 1;
    if (entry.dropped === 0) return [line];
    const note = `(${entry.dropped} log lines left out: more than ${this.perSecond} a second)`;
    entry.dropped = 0;
    return [note, line];
  }
}
