import type { DownloadJob, DownloadStatus } from '../../../src-preload/contract';
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
  // The scheduler's order: higher priority first, then first come first served.
  queue: (a, b) => b.priority - a.priority || a.createdAt - b.createdAt,
  name: (a, b) => downloadName(a).localeCompare(downloadName(b), undefined, { numeric: true }),
  size: (a, b) => (a.totalBytes ?? -1) - (b.totalBytes ?? -1),
  progress: (a, b) => a.progress - b.progress,
  speed: (a, b) => a.speed - b.speed,
  // Unknown time left sorts last: those are the jobs not moving.
  eta: (a, b) => (a.eta ?? Number.MAX_SAFE_INTEGER) - (b.eta ?? Number.MAX_SAFE_INTEGER),
  status: (a, b) => statusRank[a.status] - statusRank[b.status],
  added: (a, b) => a.createdAt - b.createdAt,
};

/** The ids of the rows to show, in order. Ties break on id so the order is stable. */
export function visibleIds(downloads: Record<string, DownloadJob>, query: TableQuery): string[] {
  const statuses = statusTabs.find((t) => t.id === query.tab)?.statuses;
  const needle = query.search.trim().toLowerCase();
  const rows = Object.values(downloads).filter(
    (job) =>
      (!statuses || statuses.includes(job.status)) &&
      (!needle || downloadName(job).toLowerCase().includes(needle) || job.url.toLowerCase().includes(needle)),
  );
  const compare = comparators[query.sort.key];
  const sign = query.sort.desc ? -1 : 1;
  rows.sort((a, b) => sign * compare(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return rows.map((job) => job.id);
}

export function tabCounts(downloads: Record<string, DownloadJob>): Record<StatusTab, number> {
  const counts: Record<StatusTab, number> = { all: 0, active: 0, paused: 0, completed: 0, failed: 0 };
  for (const job of Object.values(downloads)) {
    counts.all += 1;
    for (const tab of statusTabs) if (tab.statuses?.includes(job.status)) counts[tab.id] += 1;
  }
  return counts;
}

/**
 * Remembers the last answer per input objects: the store's records are replaced only when
 * something in them changed, so one reference check skips the filter and sort.
 */
export function memoizeLast<A extends object, B, R>(compute: (a: A, b: B) => R): (a: A, b: B) => R {
  let lastA: A | undefined;
  let lastB: B | undefined;
  let last: R | undefined;
  return (a, b) => {
    if (a !== lastA || b !== lastB) {
      last = compute(a, b);
      lastA = a;
      lastB = b;
    }
    return last as R;
  };
}
