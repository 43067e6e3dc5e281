import type { DownloadJob, Job } from '../../../src-common/contract';
import { formatCount } from '../lib/format';
import { isFinished } from '../lib/job-display';

/** Finished jobs that leave the panel by themselves; a failure waits for the user. */
export const autoDismissMs = 5000;
export const autoDismissed = (job: Pick<Job, 'status'>) => job.status === 'completed' || job.status === 'cancelled';

/**
 * Jobs made at the same moment (one submit of many URLs) in the order they were given,
 * which for downloads is also the order they start; others by id, so the order holds still.
 */
function sameMoment(a: Job, b: Job): number {
  if (a.source === 'download' && b.source === 'download' && a.position !== b.position) return a.position - b.position;
  return a.id < b.id ? 1 : -1;
}

/**
 * The panel's jobs of every source (downloads, plugin jobs, tasks), newest first: everything still going, plus what finished during this
 * session and was not dismissed. Jobs that finished before the window opened are history.
 */
export function panelJobIds(
  sources: readonly Record<string, Job>[],
  dismissed: Record<string, true>,
  sessionStart: number,
  now: number,
): string[] {
  const shown: Job[] = [];
  const consider = (job: Job) => {
    if (dismissed[job.id]) return;
    if (isFinished(job.status)) {
      const finished = job.finishedAt ?? job.updatedAt;
      if (finished < sessionStart) return;
      if (autoDismissed(job) && now - finished >= autoDismissMs) return;
    }
    shown.push(job);
  };
  for (const jobs of sources) for (const job of Object.values(jobs)) consider(job);
  shown.sort((a, b) => b.createdAt - a.createdAt || sameMoment(a, b));
  return shown.map((job) => job.id);
}

/** Items the panel lists at most: ten thousand queued jobs belong in the table, not here. */
export const panelLimit = 50;

/**
 * The panel's items when there are more than `limit`: working and finished jobs first, then
 * paused ones, kept in the panel's newest-first order. The rest are counted in a line below.
 */
export function capPanelIds(ids: readonly string[], isPaused: (id: string) => boolean, limit = panelLimit): string[] {
  if (ids.length <= limit) return [...ids];
  const keep = new Set([...ids.filter((id) => !isPaused(id)), ...ids.filter(isPaused)].slice(0, limit));
  return ids.filter((id) => keep.has(id));
}

/**
 * The panel's jobs left out of its list, counted by the view that lists them: downloads in
 * Downloads, plugin jobs and tasks in Jobs.
 */
export function hiddenCounts(
  all: readonly string[],
  shown: readonly string[],
  isDownload: (id: string) => boolean,
): { downloads: number; jobs: number } {
  const listed = new Set(shown);
  const hidden = { downloads: 0, jobs: 0 };
  for (const id of all) {
    if (listed.has(id)) continue;
    if (isDownload(id)) hidden.downloads += 1;
    else hidden.jobs += 1;
  }
  return hidden;
}

/** Waiting or working: what the pill counts as running. Paused jobs are counted apart. */
export const isRunning = (job: Pick<Job, 'status'>) => !isFinished(job.status) && job.status !== 'paused';

/** One number for the collapsed pill: bytes where known, else the average percentage. */
export function overallProgress(jobs: readonly Job[]): number {
  const active = jobs.filter(isRunning);
  if (active.length === 0) return 100;
  const sized = active.filter((job): job is DownloadJob => job.source === 'download' && !!job.totalBytes);
  if (sized.length === active.length) {
    const total = sized.reduce((sum, job) => sum + (job.totalBytes ?? 0), 0);
    const received = sized.reduce((sum, job) => sum + job.receivedBytes, 0);
    return total > 0 ? (received / total) * 100 : 0;
  }
  return active.reduce((sum, job) => sum + job.progress, 0) / active.length;
}

/** What the panel's header (and the collapsed pill) counts. */
export interface PanelCounts {
  /** Running or waiting (the percentage is theirs). */
  active: number;
  /** Of those, waiting for a slot: a batch of 10,000 is not 10,000 transfers. */
  queued: number;
  paused: number;
  /** Failed (a task's timeout too) and not dismissed: they wait for the user's retry or dismissal. */
  failed: number;
  percent: number;
}

export function panelCounts(jobs: readonly Job[]): PanelCounts {
  return {
    active: jobs.filter(isRunning).length,
    queued: jobs.filter((j) => j.status === 'pending').length,
    paused: jobs.filter((j) => j.status === 'paused').length,
    failed: jobs.filter((j) => j.status === 'failed' || j.status === 'timeout').length,
    percent: Math.floor(overallProgress(jobs)),
  };
}

/**
 * The header's one line in its parts (the header wraps between them): what runs and how
 * far, what is paused, what failed. "All done" only when nothing in the panel waits for
 * anything, a failure included.
 */
export function panelSummaryParts({ active, queued, paused, failed, percent }: PanelCounts, any: boolean): string[] {
  const parts = [];
  if (active > queued) parts.push(`${formatCount(active - queued)} running`);
  if (queued > 0) parts.push(`${formatCount(queued)} queued`);
  if (active > 0) parts.push(`${percent}% done`);
  if (paused > 0) parts.push(`${formatCount(paused)} paused`);
  if (failed > 0) parts.push(`${formatCount(failed)} failed`);
  if (parts.length > 0) return parts;
  return [any ? 'All done' : 'No jobs'];
}
