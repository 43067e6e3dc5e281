import type { DownloadJob } from '../../src-common/contract';

const finished = new Set(['completed', 'failed', 'cancelled']);
/** Moving first, then waiting, then paused. */
const rank: Record<string, number> = { downloading: 0, processing: 0, pending: 1, paused: 2 };

/** Rows the popup lists at most: unfinished ones, then the last few finished. */
export const shownActive = 30;
export const shownFinished = 5;

/**
 * What the popup lists: the downloads that move first, then those waiting, then paused
 * (newest first within each), at most `shownActive` of them, then the last few finished;
 * `more` counts the unfinished ones left out. The popup is rebuilt at every event: a
 * queue of ten thousand made it build ten thousand rows each time.
 */
export function popupList(jobs: readonly DownloadJob[]): { shown: DownloadJob[]; more: number } {
  const order = (a: DownloadJob, b: DownloadJob) =>
    (rank[a.status] ?? 3) - (rank[b.status] ?? 3) || b.createdAt - a.createdAt;
  const active = jobs.filter((j) => !finished.has(j.status)).sort(order);
  const done = jobs.filter((j) => finished.has(j.status)).sort((a, b) => b.createdAt - a.createdAt);
  return {
    shown: [...active.slice(0, shownActive), ...done.slice(0, shownFinished)],
    more: Math.max(0, active.length - shownActive),
  };
}
