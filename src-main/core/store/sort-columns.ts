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

/** The sort key of the name the Downloads table shows (size and progress sort as they are). */
export function sortName(job: Job): string {
  if (job.source === 'plugin') return nameSortKey(job.label);
  if (job.source === 'task') return nameSortKey(job.name);
  return nameSortKey(downloadName(job));
}
