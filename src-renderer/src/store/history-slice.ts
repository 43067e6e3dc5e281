import type { DownloadJob, DownloadStatus, ErrorShape } from '../../../src-common/contract';
import { downloadStatuses } from '../../../src-common/contract';
import type { StatusCounts } from './table-query';
import type { Slice, State } from './types';

/** Rows read per history page, as the table scrolls near its end. */
export const historyPage = 500;
/** Recounts wait this long after a change, so a burst of events costs one jobs.queues. */
const recountDelayMs = 500;

export interface HistorySlice {
  /**
   * Download jobs read from the core's history (jobs.list, newest first) or taken out of the
   * live list by retention. A live job in `downloads` always wins over its row here.
   */
  history: Record<string, DownloadJob>;
  /** Every download job the core holds, live or not, as of the last page. */
  historyTotal: number;
  /** Where the next page starts. */
  historyOffset: number;
  historyDone: boolean;
  historyLoading: boolean;
  historyError: ErrorShape | undefined;
  /**
   * Jobs per status that are only in history: jobs.queues' counts (all of SQLite) less the
   * live jobs at the time of the answer. The tabs add the live jobs, counted as they change.
   */
  storedCounts: StatusCounts;
  loadMoreHistory(): Promise<void>;
  /** Asks for the counts again soon; called after a batch that adds, removes or moves a status. */
  recountHistory(): void;
  /** The user removed these jobs for good (jobs.remove): no history row stays behind. */
  forgetHistory(removed: readonly DownloadJob[], wereLive: ReadonlySet<string>): void;
}

/** The row a table cell shows for `id`: the live job, else its history row. */
export const downloadOf = (s: Pick<State, 'downloads' | 'history'>, id: string): DownloadJob | undefined =>
  s.downloads[id] ?? s.history[id];

/** Jobs that retention (or Clear finished) took out of the live list become history rows. */
export function absorbRetired(
  s: Pick<State, 'history' | 'storedCounts'>,
  retired: readonly DownloadJob[],
): Pick<State, 'history' | 'storedCounts'> {
  if (retired.length === 0) return { history: s.history, storedCounts: s.storedCounts };
  const history = { ...s.history };
  const storedCounts = { ...s.storedCounts };
  for (const job of retired) {
    history[job.id] = job;
    storedCounts[job.status] = (storedCounts[job.status] ?? 0) + 1;
  }
  return { history, storedCounts };
}

export const createHistorySlice: Slice<HistorySlice> = (set, get) => {
  let oldestLoaded = Number.POSITIVE_INFINITY;
  let recountTimer: ReturnType<typeof setTimeout> | undefined;
  let counting = false;
  // Bumped by every recount request: an answer that raced a change is asked for again.
  let changes = 0;

  async function recount(): Promise<void> {
    recountTimer = undefined;
    if (counting) return;
    counting = true;
    const asked = changes;
    const answer = await get().client.invoke('jobs.queues', {});
    counting = false;
    if (answer.ok) {
      const all = answer.value.queues.find((q) => q.name === 'download')?.counts ?? {};
      const live: StatusCounts = {};
      for (const job of Object.values(get().downloads)) live[job.status] = (live[job.status] ?? 0) + 1;
      const storedCounts: StatusCounts = {};
      for (const status of downloadStatuses as readonly DownloadStatus[]) {
        const n = (all[status] ?? 0) - (live[status] ?? 0);
        if (n > 0) storedCounts[status] = n;
      }
      set({ storedCounts });
    }
    if (changes !== asked) get().recountHistory();
  }

  return {
    history: {},
    historyTotal: 0,
    historyOffset: 0,
    historyDone: false,
    historyLoading: false,
    historyError: undefined,
    storedCounts: {},
    async loadMoreHistory() {
      const { historyLoading, historyDone, historyOffset, client } = get();
      if (historyLoading || historyDone) return;
      set({ historyLoading: true });
      const answer = await client.invoke('jobs.list', {
        source: 'download',
        order: '-createdAt',
        limit: historyPage,
        offset: historyOffset,
      });
      if (!answer.ok) return void set({ historyLoading: false, historyError: answer.error });
      const { jobs, total } = answer.value;
      const history = { ...get().history };
      for (const job of jobs) {
        if (job.source !== 'download') continue;
        const old = history[job.id];
        // A retired row from the event stream may be newer than the page.
        if (!old || old.updatedAt <= job.updatedAt) history[job.id] = job;
        oldestLoaded = Math.min(oldestLoaded, job.createdAt);
      }
      const offset = get().historyOffset + jobs.length;
      set({
        history,
        historyTotal: total,
        historyOffset: offset,
        historyDone: jobs.length < historyPage || offset >= total,
        historyLoading: false,
        historyError: undefined,
      });
    },
    recountHistory() {
      changes += 1;
      if (recountTimer === undefined) recountTimer = setTimeout(() => void recount(), recountDelayMs);
    },
    forgetHistory(removed, wereLive) {
      const history = { ...get().history };
      const storedCounts = { ...get().storedCounts };
      let offset = get().historyOffset;
      for (const job of removed) {
        delete history[job.id];
        if (!wereLive.has(job.id) && storedCounts[job.status]) storedCounts[job.status]! -= 1;
        // A deleted row inside the pages read so far moves every later row up by one.
        if (job.createdAt >= oldestLoaded && offset > 0) offset -= 1;
      }
      set({ history, storedCounts, historyOffset: offset });
      get().recountHistory();
    },
  };
};
