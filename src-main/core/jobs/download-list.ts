import {
  downloadStatuses,
  statusRank,
  type DownloadJob,
  type DownloadListOutput,
  type DownloadSortKey,
  type DownloadStatus,
  type ParsedInput,
} from '../../../src-common/contract';
import { jobFilter, searchText } from '../store/job-filter';
import type { JobStore } from '../store/job-store';
import type { JobRegistry } from './registry';

type Query = ParsedInput<'downloads.list'>;

const statusOrder = `CASE status ${Object.entries(statusRank)
  .map(([status, rank]) => `WHEN '${status}' THEN ${rank}`)
  .join(' ')} END`;

/** The SQL order of each column, ascending, before the tie-break on the order jobs were added. */
const sqlOrder: Record<Exclude<DownloadSortKey, 'speed' | 'eta'>, (dir: 'ASC' | 'DESC') => string> = {
  added: (dir) => `created_at ${dir}`,
  // The scheduler's order: higher priority first, then the queue position jobs.move sets.
  queue: (dir) => `priority ${dir === 'ASC' ? 'DESC' : 'ASC'}, position ${dir}`,
  name: (dir) => `sort_name ${dir}`,
  size: (dir) => `size ${dir}`,
  progress: (dir) => `progress ${dir}`,
  status: (dir) => `${statusOrder} ${dir}`,
};

/**
 * Speed and time left exist only in memory, for running downloads. Those "moving" jobs sort
 * among themselves; every other job ties (no speed, unknown time left) and keeps the order
 * jobs were added. Where the ties go: no speed is the slowest, unknown time left the longest.
 */
const memoryOrder = {
  speed: { value: (job: DownloadJob) => (job.speed > 0 ? job.speed : undefined), tiesFirstWhenAscending: true },
  eta: { value: (job: DownloadJob) => job.eta ?? undefined, tiesFirstWhenAscending: false },
} as const;

/**
 * One page of the Downloads table: live and finished downloads together, filtered, searched
 * and sorted in one order, with the per-status counts the tabs show.
 */
export function listDownloads(registry: JobRegistry, store: JobStore, query: Query): DownloadListOutput {
  // Progress kept in memory is written first, so the progress column sorts what clients see.
  registry.flushProgress();
  const sort = query.sort ?? 'added';
  const dir = query.desc === true ? 'DESC' : 'ASC';
  const limit = query.limit ?? 100;
  const offset = query.offset ?? 0;
  const filter = { statuses: query.statuses, source: 'download' as const, text: query.text };

  let page: { jobs: DownloadJob[]; total: number };
  if (sort === 'speed' || sort === 'eta') {
    const { value, tiesFirstWhenAscending } = memoryOrder[sort];
    const moving = movingJobs(registry, query, value);
    if (dir === 'DESC') moving.reverse();
    const rest = (restOffset: number, restLimit: number) =>
      pageOf(
        store,
        jobFilter({ ...filter, exclude: moving.map((job) => job.id) }),
        `rowid ${dir}`,
        restLimit,
        restOffset,
      );
    page = concatPages(moving, rest, tiesFirstWhenAscending === (dir === 'ASC'), offset, limit);
  } else {
    page = pageOf(store, jobFilter(filter), `${sqlOrder[sort](dir)}, rowid ${dir}`, limit, offset);
  }

  const stored = store.counts('download');
  const counts = Object.fromEntries(downloadStatuses.map((status) => [status, stored[status] ?? 0])) as Record<
    DownloadStatus,
    number
  >;
  return { jobs: page.jobs.map((job) => liveVersion(registry, job)), total: page.total, counts };
}

function pageOf(
  store: JobStore,
  filter: ReturnType<typeof jobFilter>,
  order: string,
  limit: number,
  offset: number,
): { jobs: DownloadJob[]; total: number } {
  const { jobs, total } = store.page(filter, order, limit, offset);
  return { jobs: jobs.flatMap(({ job }) => (job.source === 'download' ? [job] : [])), total };
}

/** The live download jobs the query keeps that have a value to sort by, ascending. */
function movingJobs(
  registry: JobRegistry,
  query: Query,
  value: (job: DownloadJob) => number | undefined,
): DownloadJob[] {
  const text = query.text?.toLowerCase();
  const statuses = query.statuses && query.statuses.length > 0 ? new Set(query.statuses) : undefined;
  const moving: { job: DownloadJob; value: number }[] = [];
  for (const { job } of registry.liveJobs()) {
    if (job.source !== 'download') continue;
    if (statuses && !statuses.has(job.status)) continue;
    if (text && !searchText(job).includes(text)) continue;
    const v = value(job);
    if (v !== undefined) moving.push({ job, value: v });
  }
  moving.sort((a, b) => a.value - b.value || a.job.createdAt - b.job.createdAt);
  return moving.map((entry) => entry.job);
}

/** A page of `moving` and the rest, one after the other; `restFirst` puts the rest ahead. */
function concatPages(
  moving: DownloadJob[],
  rest: (offset: number, limit: number) => { jobs: DownloadJob[]; total: number },
  restFirst: boolean,
  offset: number,
  limit: number,
): { jobs: DownloadJob[]; total: number } {
  if (restFirst) {
    const head = rest(offset, limit);
    const from = Math.max(0, offset - head.total);
    const jobs = [...head.jobs, ...moving.slice(from, from + limit - head.jobs.length)];
    return { jobs, total: head.total + moving.length };
  }
  const head = moving.slice(offset, offset + limit);
  const tail = rest(Math.max(0, offset - moving.length), limit - head.length);
  return { jobs: [...head, ...tail.jobs], total: moving.length + tail.total };
}

/** A live job as it is now, not as its last saved row. */
function liveVersion(registry: JobRegistry, job: DownloadJob): DownloadJob {
  const live = registry.isLive(job.id) ? registry.stored(job.id)?.job : undefined;
  return live?.source === 'download' ? live : job;
}
