import { downloadName, type Job } from '../../../src-common/contract';

/** Digit runs longer than this sort as text after shorter ones; no file name needs more. */
const digitWidth = 20;

/**
 * A key that orders names the way people read them: case-blind, and `file2` before
 * `file10` (each run of digits is padded to one width), so SQLite's plain byte order
 * is a natural order and the column can be indexed.
 */
export function nameSortKey(name: string): string {
  return name.toLowerCase().replace(/\d+/gu, (digits) => digits.replace(/^0+(?=\d)/u, '').padStart(digitWidth, '0'));
}

/** The columns the Downloads table sorts by, kept beside the job's JSON. */
export function sortColumns(job: Job): { sortName: string; size: number | null; progress: number } {
  if (job.source === 'plugin') return { sortName: nameSortKey(job.label), size: null, progress: job.progress };
  if (job.source === 'task') return { sortName: nameSortKey(job.name), size: null, progress: job.progress };
  return { sortName: nameSortKey(downloadName(job)), size: job.totalBytes, progress: job.progress };
}
