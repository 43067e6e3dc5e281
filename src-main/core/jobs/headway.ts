import type { DownloadJob } from '../../../src-common/contract';

/**
 * The most bytes each download had at the end of any of its attempts since it was
 * started, resumed or retried by hand. An attempt that fails beyond that made headway and
 * is not held against the download: a long download whose signed links expire every few
 * minutes, or whose link drops now and then, goes on while it gets further. The mark only
 * rises, so this ends.
 */
export class Headway {
  private readonly furthest = new Map<string, number>();
  /** Downloads whose last attempts could not reach their server: since when, and how many. */
  private readonly unreached = new Map<string, { since: number; tries: number }>();

  /** An attempt starts; the first of a run marks where the download stands. */
  started(job: DownloadJob): void {
    if (!this.furthest.has(job.id)) this.furthest.set(job.id, job.receivedBytes);
  }

  /** Whether the download ends this attempt further than any attempt before; marks it. */
  made(job: DownloadJob): boolean {
    const before = this.furthest.get(job.id);
    if (before === undefined || job.receivedBytes <= before) return false;
    this.furthest.set(job.id, job.receivedBytes);
    return true;
  }

  /**
   * An attempt could not reach the server at all (the network is down, most likely): how
   * many such attempts in a row, this one included, while the first of them is less than
   * `windowMs` old; undefined once the wait has lasted longer, when attempts count again.
   */
  unreachable(id: string, now: number, windowMs: number): number | undefined {
    const streak = this.unreached.get(id) ?? { since: now, tries: 0 };
    streak.tries += 1;
    this.unreached.set(id, streak);
    return now - streak.since < windowMs ? streak.tries : undefined;
  }

  /** An attempt reached the server (whatever came of it): a wait for the network is over. */
  reached(id: string): void {
    this.unreached.delete(id);
  }

  /** Completed, failed for good, paused or cancelled: a later start counts afresh. */
  forget(id: string): void {
    this.furthest.delete(id);
    this.unreached.delete(id);
  }
}
