import type { DownloadSortKey, DownloadStatus } from '../../../src-common/contract';

export type StatusTab = 'all' | 'active' | 'paused' | 'completed' | 'failed';

/** `short`: the label where the tabs are short of room (the whole one is then its tooltip). */
export const statusTabs: {
  id: StatusTab;
  label: string;
  short?: string;
  statuses: readonly DownloadStatus[] | null;
}[] = [
  { id: 'all', label: 'All', statuses: null },
  { id: 'active', label: 'Active', statuses: ['pending', 'downloading', 'processing'] },
  { id: 'paused', label: 'Paused', statuses: ['paused'] },
  { id: 'completed', label: 'Completed', statuses: ['completed'] },
  { id: 'failed', label: 'Failed or cancelled', short: 'Failed', statuses: ['failed', 'cancelled'] },
];

export type SortKey = DownloadSortKey;
export interface Sort {
  key: SortKey;
  desc: boolean;
}

export type StatusCounts = Partial<Record<DownloadStatus, number>>;

/** The tabs' counts from the core's per-status counts (downloads.list). */
export function tabCounts(byStatus: StatusCounts): Record<StatusTab, number> {
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

/**
 * What the Downloads view shows in place of rows. The counts follow events at once and the
 * rows come with the next read (within 0.4 s), so a tab whose count says it holds downloads
 * is waiting for them, not empty; with a search (the counts ignore it) no rows means no match.
 */
export function emptyTable(state: {
  ready: boolean;
  failed: boolean;
  counts: Record<StatusTab, number>;
  tab: StatusTab;
  search: string;
}): 'error' | 'loading' | 'no-match' | 'tab-empty' | 'first' {
  if (state.failed && !state.ready) return 'error';
  if (state.counts.all === 0) return state.ready ? 'first' : 'loading';
  if (state.search !== '') return state.ready ? 'no-match' : 'loading';
  return state.ready && state.counts[state.tab] === 0 ? 'tab-empty' : 'loading';
}
