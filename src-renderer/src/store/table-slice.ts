import type { DownloadJob, DownloadListInput, DownloadStatus, ErrorShape } from '../../../src-common/contract';
import { statusTabs, type StatusCounts } from './table-query';
import type { Slice, State } from './types';

/** Rows read per request as the table scrolls. */
export const tablePage = 100;
/** Rows per request when every row is wanted (select all). */
const wholePage = 1000;
/** A change waits this long before the rows on screen are read again, so a burst costs one read. */
const refreshDelayMs = 100;
/** And reads are at least this far apart, however busy the event stream. */
const refreshGapMs = 400;

/**
 * The Downloads table as the core orders it (downloads.list): live and finished downloads
 * in one list, filtered, searched and sorted by the core. The renderer keeps the pages it
 * showed and reads those on screen again when events say rows may have moved.
 */
export interface TableSlice {
  /** The current query's rows by position; `undefined` where no page was read yet. */
  tableIds: readonly (string | undefined)[];
  /** Rows as their page read them. A live job in `downloads` wins over its row here. */
  tableRows: Record<string, DownloadJob>;
  /** Download jobs per status, whatever the tab or search: what the tabs count. */
  tableCounts: StatusCounts;
  /** The first answer for the table arrived. */
  tableReady: boolean;
  tableError: ErrorShape | undefined;
  /** Rows `from` to `to` are on screen: the pages holding them are read if missing. */
  showRows(from: number, to: number): void;
  /** Reads the rows on screen again: at once (the query changed) or soon (events came). */
  refreshTable(when?: 'now' | 'soon'): void;
  /** Live jobs came or changed status: the tabs' counts follow before the next read. */
  countMoves(moves: readonly StatusMove[]): void;
  /** Jobs that left the live list: their last state is what their rows show. */
  keepRows(jobs: readonly DownloadJob[]): void;
  /** Every row of the current query, read where missing; for select all. */
  allRowIds(): Promise<string[]>;
}

/** A job that changed status (`from`), or a new one. */
export interface StatusMove {
  from?: DownloadStatus;
  to: DownloadStatus;
}

/** The row a table cell shows for `id`: the live job, else the row its page read. */
export const downloadOf = (s: Pick<State, 'downloads' | 'tableRows'>, id: string): DownloadJob | undefined =>
  s.downloads[id] ?? s.tableRows[id];

/** The core's query for the table as the tabs, search box and sort menu set it. */
export function tableQuery(s: Pick<State, 'tab' | 'search' | 'sort'>): DownloadListInput {
  const statuses = statusTabs.find((t) => t.id === s.tab)?.statuses;
  const text = s.search.trim();
  return {
    ...(statuses ? { statuses: [...statuses] } : {}),
    ...(text ? { text } : {}),
    sort: s.sort.key,
    desc: s.sort.desc,
  };
}

function sameIds(a: readonly (string | undefined)[], b: readonly (string | undefined)[]): boolean {
  if (a.length !== b.length) return false;
  // A loop, not `every`: the arrays have holes where no page was read, and `every` skips them.
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

export const createTableSlice: Slice<TableSlice> = (set, get) => {
  // Bumped by every new read of the screen: answers to an older read are dropped.
  let generation = 0;
  let view = { from: 0, to: tablePage - 1 };
  const reading = new Set<number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastRead = 0;

  type Page = { jobs: DownloadJob[]; total: number; counts: StatusCounts };
  async function readPage(offset: number, limit: number): Promise<Page | undefined> {
    const answer = await get().client.invoke('downloads.list', { ...tableQuery(get()), offset, limit });
    if (answer.ok) return answer.value;
    set({ tableError: answer.error });
    return undefined;
  }

  /** Puts pages into `ids` (resized to the newest total) and their rows into the cache. */
  function place(
    base: readonly (string | undefined)[],
    offset: number,
    page: Page,
    cached: Record<string, DownloadJob> = get().tableRows,
  ) {
    const ids = base.slice(0, page.total);
    ids.length = page.total;
    const rows = { ...cached };
    page.jobs.forEach((job, i) => {
      if (offset + i < ids.length) ids[offset + i] = job.id;
      rows[job.id] = job;
    });
    set({
      tableIds: sameIds(ids, get().tableIds) ? get().tableIds : ids,
      tableRows: rows,
      tableCounts: page.counts,
      tableReady: true,
      tableError: undefined,
    });
  }

  /** Reads the pages on screen again and replaces the table with them. */
  async function readScreen(): Promise<void> {
    timer = undefined;
    lastRead = Date.now();
    generation += 1;
    const mine = generation;
    reading.clear();
    const first = Math.floor(view.from / tablePage) * tablePage;
    const answer = await readPage(first, Math.max(tablePage, view.to + 1 - first));
    if (!answer || mine !== generation) return;
    // Rows off screen may have moved: they are read again when shown. The cache keeps the
    // rows on screen and the selected ones (bulk actions read them).
    const keep = new Set(get().selection);
    const rows = Object.fromEntries(Object.entries(get().tableRows).filter(([id]) => keep.has(id)));
    place([], first, answer, rows);
    // The whole tab is on hand: selected rows that left it (paused out of Active, say) leave
    // the selection, so no action goes to rows the user no longer sees.
    if (first === 0 && answer.jobs.length >= answer.total) {
      const shown = new Set(answer.jobs.map((job) => job.id));
      const selection = get().selection.filter((id) => shown.has(id));
      if (selection.length < get().selection.length) set({ selection });
    }
  }

  return {
    tableIds: [],
    tableRows: {},
    tableCounts: {},
    tableReady: false,
    tableError: undefined,
    showRows(from, to) {
      view = { from, to };
      const ids = get().tableIds;
      for (let page = Math.floor(from / tablePage); page * tablePage <= Math.min(to, ids.length - 1); page += 1) {
        const offset = page * tablePage;
        if (reading.has(page) || !ids.slice(offset, offset + tablePage).includes(undefined)) continue;
        reading.add(page);
        const mine = generation;
        void readPage(offset, tablePage).then((answer) => {
          if (mine !== generation) return;
          reading.delete(page);
          if (answer) place(get().tableIds, offset, answer);
        });
      }
    },
    refreshTable(when = 'soon') {
      if (when === 'now') {
        clearTimeout(timer);
        return void readScreen();
      }
      if (timer !== undefined) return;
      const wait = Math.max(refreshDelayMs, lastRead + refreshGapMs - Date.now());
      timer = setTimeout(() => void readScreen(), wait);
    },
    countMoves(moves) {
      if (moves.length === 0 || !get().tableReady) return;
      const counts = { ...get().tableCounts };
      for (const { from, to } of moves) {
        if (from) counts[from] = Math.max(0, (counts[from] ?? 0) - 1);
        counts[to] = (counts[to] ?? 0) + 1;
      }
      set({ tableCounts: counts });
    },
    keepRows(jobs) {
      if (jobs.length === 0) return;
      const rows = { ...get().tableRows };
      for (const job of jobs) rows[job.id] = job;
      set({ tableRows: rows });
    },
    async allRowIds() {
      // Every page of the query as it stands, read afresh. The table may read its screen
      // again meanwhile (events keep coming in a busy queue), which empties the rest of
      // its pages: select all used to stop there and select the first hundred.
      const query = JSON.stringify(tableQuery(get()));
      const found = new Map<string, DownloadJob>();
      let total = get().tableIds.length;
      for (let offset = 0; offset < total; offset += wholePage) {
        const answer = await readPage(offset, wholePage);
        if (!answer) break;
        // The user changed what the table shows: all of that is no longer what was asked for.
        if (JSON.stringify(tableQuery(get())) !== query) return get().tableIds.filter((id) => id !== undefined);
        total = answer.total;
        for (const job of answer.jobs) found.set(job.id, job);
      }
      // The selected rows stay cached (bulk actions read them).
      set({ tableRows: { ...get().tableRows, ...Object.fromEntries(found) } });
      return [...found.keys()];
    },
  };
};
