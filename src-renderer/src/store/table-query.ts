import type { DownloadJob, DownloadStatus } from '../../../src-common/contract';
import { downloadName } from '../lib/job-display';

export type StatusTab = 'all' | 'active' | 'paused' | 'completed' | 'failed';

export const statusTabs: { id: StatusTab; label: string; statuses: readonly DownloadStatus[] | null }[] = [
  { id: 'all', label: 'All', statuses: null },
  { id: 'active', label: 'Active', statuses: ['pending', 'downloading', 'processing'] },
  { id: 'paused', label: 'Paused', statuses: ['paused'] },
  { id: 'completed', label: 'Completed', statuses: ['completed'] },
  { id: 'failed', label: 'Failed', statuses: ['failed', 'cancelled'] },
];

export type SortKey = 'queue' | 'name' | 'size' | 'progress' | 'speed' | 'eta' | 'status' | 'added';
export interface Sort {
  key: SortKey;
  desc: boolean;
}

export interface TableQuery {
  tab: StatusTab;
  search: string;
  sort: Sort;
}

const statusRank: Record<DownloadStatus, number> = {
  downloading: 0,
  processing: 1,
  pending: 2,
  paused: 3,
  failed: 4,
  cancelled: 5,
  completed: 6,
};

type Compare = (a: DownloadJob, b: DownloadJob) => number;

const comparators: Record<SortKey, Compare> = {
  // The scheduler's order: higher priority first, then the queue position jobs.move sets.
  queue: (a, b) => b.priority - a.priority || a.position - b.position,
  name: (a, b) => downloadName(a).localeCompare(downloadName(b), undefined, { numeric: true }),
  size: (a, b) => (a.totalBytes ?? -1) - (b.totalBytes ?? -1),
  progress: (a, b) => a.progress - b.progress,
  speed: (a, b) => a.speed - b.speed,
  // Unknown time left sorts last: those are the jobs not moving.
  eta: (a, b) => (a.eta ?? Number.MAX_SAFE_INTEGER) - (b.eta ?? Number.MAX_SAFE_INTEGER),
  status: (a, b) => statusRank[a.status] - statusRank[b.status],
  added: (a, b) => a.createdAt - b.createdAt,
};

/**
 * The ids of the rows to show, in order: the live jobs and the history rows that are not
 * live (a live job always wins over its history row). Ties break on id so the order is stable.
 */
export function visibleIds(
  downloads: Record<string, DownloadJob>,
  history: Record<string, DownloadJob>,
  query: TableQuery,
): string[] {
  const statuses = statusTabs.find((t) => t.id === query.tab)?.statuses;
  const needle = query.search.trim().toLowerCase();
  const keep = (job: DownloadJob) =>
    (!statuses || statuses.includes(job.status)) &&
    (!needle || downloadName(job).toLowerCase().includes(needle) || job.url.toLowerCase().includes(needle));
  const rows = Object.values(downloads).filter(keep);
  for (const job of Object.values(history)) if (!downloads[job.id] && keep(job)) rows.push(job);
  const compare = comparators[query.sort.key];
  const sign = query.sort.desc ? -1 : 1;
  rows.sort((a, b) => sign * compare(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return rows.map((job) => job.id);
}

export type StatusCounts = Partial<Record<DownloadStatus, number>>;

/**
 * The tabs' counts: the live jobs counted here, plus `stored`, the jobs only in history
 * (the core's per-status counts less the live ones, see history-slice).
 */
export function tabCounts(
  downloads: Record<string, DownloadJob>,
  stored: StatusCounts = {},
): Record<StatusTab, number> {
  const byStatus: StatusCounts = { ...stored };
  for (const job of Object.values(downloads)) byStatus[job.status] = (byStatus[job.status] ?? 0) + 1;
  const counts: Record<StatusTab, number> = { all: 0, active: 0, paused: 0, completed: 0, failed: 0 };
  for (const [status, n] of Object.entries(byStatus) as [DownloadStatus, number][]) {
    counts.all += n;
    for (const tab of statusTabs) if (tab.statuses?.includes(status)) counts[tab.id] += n;
  }
  return counts;
}

/**
 * Remembers the last answer per input objects: the store's records are replaced only when
 * something in them changed, so one reference check per argument skips the filter and sort.
 */
export function memoizeLast<Args extends unknown[], R>(compute: (...args: Args) => R): (...args: Args) => R {
  let lastArgs: Args | undefined;
  let last: R | undefined;
  return (...args) => {
    if (!lastArgs || args.some((arg, i) => arg !== lastArgs![i])) {
      last = compute(...args);
      lastArgs = args;
    }
    return last as R;
  };
}
