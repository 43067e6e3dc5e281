/**
 * The Downloads table's query: one page of download jobs, live and finished together,
 * filtered, searched and sorted by the core, so every client shows the same order and
 * only caches the pages it shows.
 */
import { z } from 'zod';
import { DownloadJob, downloadStatuses, type DownloadStatus } from './jobs';

/**
 * The table's columns a list can be sorted by. `queue` is the scheduler's order (priority,
 * then the position jobs.move sets); `speed` and `eta` are known for running downloads only.
 */
export const downloadSortKeys = ['queue', 'name', 'size', 'progress', 'speed', 'eta', 'status', 'added'] as const;
export type DownloadSortKey = (typeof downloadSortKeys)[number];

/** How `status` sorts ascending: what moves first, what is done last. */
export const statusRank: Record<DownloadStatus, number> = {
  downloading: 0,
  processing: 1,
  pending: 2,
  paused: 3,
  failed: 4,
  cancelled: 5,
  completed: 6,
};

export const DownloadListInput = z
  .object({
    /** Only these statuses; absent or empty means every status. */
    statuses: z.array(z.enum(downloadStatuses)).max(downloadStatuses.length).optional(),
    /** A piece of the URL or the file name, any case. */
    text: z.string().max(500).optional(),
    /** @default 'added' */
    sort: z.enum(downloadSortKeys).optional(),
    /** Largest, newest or fastest first. Ties keep the order jobs were added, reversed with it. */
    desc: z.boolean().optional(),
    offset: z.number().int().min(0).optional(),
    /** @default 100 */
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .strict();
export type DownloadListInput = z.input<typeof DownloadListInput>;

export const DownloadListOutput = z.object({
  /** The page, in order; a live job as it is now. */
  jobs: z.array(DownloadJob),
  /** Jobs matching the statuses and text, on every page. */
  total: z.number().int(),
  /** Download jobs per status, whatever the filter: what the status tabs count. */
  counts: z.record(z.enum(downloadStatuses), z.number().int()),
});
export type DownloadListOutput = z.infer<typeof DownloadListOutput>;
