/**
 * Haul's download jobs in aria2's shapes: every number a decimal string, statuses from
 * aria2's list, one file with its URI, and aria2's exit codes for failures.
 */
import { join } from 'node:path';
import type { DownloadJob, JobError } from '../../../src-common/contract';

export type Aria2Status = 'active' | 'waiting' | 'paused' | 'error' | 'complete' | 'removed';

export const statusOf: Record<DownloadJob['status'], Aria2Status> = {
  pending: 'waiting',
  downloading: 'active',
  // The bytes are in; Haul verifies and files them. aria2 has no such step: still active.
  processing: 'active',
  paused: 'paused',
  completed: 'complete',
  failed: 'error',
  cancelled: 'removed',
};

export const isStopped = (status: Aria2Status) => status === 'complete' || status === 'error' || status === 'removed';

/** aria2's piece size for HTTP downloads (its default `piece-length`). */
export const pieceLength = 1024 * 1024;

/** aria2's exit status codes (its manual's EXIT STATUS) for Haul's failure kinds. */
export function errorCodeOf(error: JobError | null): string {
  if (!error) return '1';
  switch (error.kind) {
    case 'http':
      if (error.status === 404 || error.status === 410) return '3';
      if (error.status === 401 || error.status === 403 || error.status === 407) return '24';
      if (error.status === 503 || error.status === 429) return '29';
      return '22';
    case 'network':
      return /could not be resolved/.test(error.message) ? '19' : '6';
    case 'timeout':
    case 'stalled':
      return '2';
    case 'disk':
      return /disk is full|quota/i.test(error.message) ? '9' : '17';
    case 'checksum':
      return '32';
    default:
      return '1';
  }
}

/** The piece bitmap as hex, highest bit first; Haul counts bytes, so done pieces are taken in order. */
function bitfieldOf(total: number, done: number): string {
  const pieces = Math.ceil(total / pieceLength);
  const full = done >= total ? pieces : Math.floor(done / pieceLength);
  let hex = '';
  for (let nibble = 0; nibble * 4 < pieces; nibble += 1) {
    let value = 0;
    for (let bit = 0; bit < 4; bit += 1) if (nibble * 4 + bit < full) value |= 8 >> bit;
    hex += value.toString(16);
  }
  return hex.length % 2 === 1 ? `${hex}0` : hex;
}

function pathOf(job: DownloadJob): string {
  if (typeof job.result?.path === 'string') return job.result.path;
  return job.fileName ? join(job.dir, job.fileName) : '';
}

export function urisOf(job: DownloadJob): { uri: string; status: 'used' | 'waiting' }[] {
  return [{ uri: job.url, status: job.startedAt === null ? 'waiting' : 'used' }];
}

export function filesOf(job: DownloadJob): Record<string, unknown>[] {
  return [
    {
      index: '1',
      path: pathOf(job),
      length: String(job.totalBytes ?? 0),
      completedLength: String(job.receivedBytes),
      selected: 'true',
      uris: urisOf(job),
    },
  ];
}

/** aria2.tellStatus of one download: the keys aria2 gives for an HTTP download. */
export function statusObject(job: DownloadJob, gid: string): Record<string, unknown> {
  const status = statusOf[job.status];
  const total = job.totalBytes ?? 0;
  const active = status === 'active';
  const shape: Record<string, unknown> = {
    gid,
    status,
    totalLength: String(total),
    completedLength: String(job.receivedBytes),
    uploadLength: '0',
    downloadSpeed: String(active ? Math.round(job.speed) : 0),
    uploadSpeed: '0',
    connections: String(active ? job.connections : 0),
    numPieces: String(Math.ceil(total / pieceLength)),
    pieceLength: String(pieceLength),
    dir: job.dir,
    files: filesOf(job),
  };
  // aria2 leaves the bitmap out until the size is known.
  if (total > 0) shape.bitfield = bitfieldOf(total, job.receivedBytes);
  if (isStopped(status)) {
    shape.errorCode = status === 'error' ? errorCodeOf(job.error) : status === 'removed' ? '31' : '0';
    shape.errorMessage = status === 'error' ? (job.error?.message ?? job.message) : '';
  }
  return shape;
}

/** Only the asked-for keys (aria2's `keys` parameter); unknown keys are skipped. */
export function pick(shape: Record<string, unknown>, keys: readonly string[] | undefined): Record<string, unknown> {
  if (!keys || keys.length === 0) return shape;
  return Object.fromEntries(keys.filter((key) => Object.hasOwn(shape, key)).map((key) => [key, shape[key]]));
}

/**
 * A window of a list the aria2 way: a negative offset counts from the end and lists
 * backwards (tellWaiting, tellStopped).
 */
export function windowOf<T>(list: readonly T[], offset: number, count: number): T[] {
  if (count <= 0) return [];
  if (offset >= 0) return list.slice(offset, offset + count);
  const start = list.length + offset;
  if (start < 0) return [];
  return list.slice(Math.max(0, start - count + 1), start + 1).reverse();
}
