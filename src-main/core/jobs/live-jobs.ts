import type { DownloadJob, Job, PluginJob, Snapshot, TaskJob } from '../../../src-common/contract';
import type { StoredJob } from '../store/job-store';
import { DownloadQueue } from './download-queue';

const activeStatuses = new Set(['pending', 'downloading', 'processing', 'paused']);

/**
 * The live list in memory, with the indexes the scheduler and the submit read from it:
 * the downloads waiting for a slot in the order they start, the other pending jobs, and
 * the unfinished download of each URL. Only the registry changes it, after SQLite has
 * what it holds (or, for a change held in memory, what recovery treats alike).
 */
export class LiveJobs {
  private readonly entries = new Map<string, StoredJob>();
  /** Live jobs other than downloads waiting for a slot (status pending), for the scheduler. */
  private readonly pending = new Set<string>();
  /** Live downloads waiting for a slot, in the order they start. */
  private readonly queue = new DownloadQueue();
  /** Unfinished downloads by URL, for the duplicate check at submit. */
  private readonly activeUrls = new Map<string, string>();
  /** Pending jobs with a time before which they may not start (a retry's backoff). */
  private readonly delayed = new Set<string>();

  /**
   * Puts the job in the list, or replaces it, and files it in the indexes by its status.
   * A download's queue position is the entry's (`position`), copied into the job.
   */
  put(given: StoredJob): StoredJob {
    const entry =
      given.job.source === 'download' && given.job.position !== given.position
        ? { ...given, job: { ...given.job, position: given.position } }
        : given;
    const { id } = entry.job;
    this.forgetUrl(id);
    this.entries.set(id, entry);
    const { job } = entry;
    if (job.source === 'download' && activeStatuses.has(job.status)) this.activeUrls.set(job.url, id);
    if (job.status !== 'pending') {
      this.pending.delete(id);
      this.queue.delete(id);
    } else if (job.source === 'download') this.queue.set(id, job.priority, entry.position);
    else this.pending.add(id);
    if (job.status === 'pending' && entry.notBefore !== null) this.delayed.add(id);
    else this.delayed.delete(id);
    return entry;
  }

  /** Takes the job out of the list and every index. */
  drop(id: string): void {
    this.forgetUrl(id);
    this.entries.delete(id);
    this.pending.delete(id);
    this.queue.delete(id);
    this.delayed.delete(id);
  }

  /** The URL index entry of `id`'s download, when it is the one recorded for its URL. */
  private forgetUrl(id: string): void {
    const previous = this.entries.get(id)?.job;
    if (previous?.source === 'download' && this.activeUrls.get(previous.url) === id)
      this.activeUrls.delete(previous.url);
  }

  get(id: string): StoredJob | undefined {
    return this.entries.get(id);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  all(): StoredJob[] {
    return [...this.entries.values()];
  }

  /** The id of the live download fetching `url` that is not finished, if any. */
  activeDownloadOf(url: string): string | undefined {
    return this.activeUrls.get(url);
  }

  snapshot(): Snapshot {
    const jobs: DownloadJob[] = [];
    const actionJobs: PluginJob[] = [];
    const tasks: TaskJob[] = [];
    for (const { job } of this.entries.values()) {
      if (job.source === 'download') jobs.push(job);
      else if (job.source === 'plugin') actionJobs.push(job);
      else tasks.push(job);
    }
    return { jobs, actionJobs, tasks };
  }

  /** Per source, the pending jobs waiting for a retry (`notBefore` after `now`). */
  retryingCounts(now: number): Record<Job['source'], number> {
    const counts = { download: 0, plugin: 0, task: 0 };
    // Only the delayed ones: a poll of the queues reads this, and the list may be long.
    for (const id of this.delayed) {
      const { job, notBefore } = this.entries.get(id)!;
      if (notBefore !== null && notBefore > now) counts[job.source] += 1;
    }
    return counts;
  }

  /** The pending downloads in the order they start (priority, then position); stop early at will. */
  *pendingDownloads(): Generator<StoredJob> {
    for (const id of this.queue.ids()) {
      const entry = this.entries.get(id);
      if (entry) yield entry;
    }
  }

  /** The live jobs other than downloads whose status is pending. */
  pendingJobs(): StoredJob[] {
    const out: StoredJob[] = [];
    for (const id of this.pending) {
      const entry = this.entries.get(id);
      if (entry) out.push(entry);
    }
    return out;
  }
}
