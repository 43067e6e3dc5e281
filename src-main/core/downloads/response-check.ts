import { JobFailure } from '../jobs/runner';
import { contentLength } from './answer-body';
import { failureFromStatus, statusText } from './failures';
import { header, type OpenedResponse } from './http-request';
import { parseContentRange } from './segments';
import { strongEtag } from './resume-state';

/** What the download knows about the file, to compare each answer against. */
export interface KnownFile {
  totalBytes: number | null;
  etag: string | null;
  lastModified: string | null;
}

/**
 * How an answer to a range request can be used:
 * - `range`: a 206 with the bytes asked for, from where they were asked (maybe fewer at
 *   the end, or more: a server may answer every range to the end of the file);
 * - `full`: a 200, the whole file from byte 0 (ranges ignored, or If-Range failed);
 * - `complete`: a 416 saying the file ends where our bytes end (curl treats a 416 on
 *   resume as "already complete"; here only when the sizes prove it);
 * - `ends`: a 416 whose Content-Range puts the end of the file exactly where our bytes
 *   end, below the size first announced: the announced size was wrong (seen once, it is
 *   not a change of file; the download ends there instead of starting over);
 * - `changed`: the file on the server is not the one we have bytes of;
 * - `no-ranges`: the server's ranges cannot be trusted (wrong Content-Range or size,
 *   encoded, refused inside the file): the rest comes from one plain request.
 */
export type RangeVerdict =
  | { kind: 'range'; end: number }
  | { kind: 'full' }
  | { kind: 'complete' }
  | { kind: 'ends'; total: number }
  | { kind: 'changed' }
  | { kind: 'no-ranges' };

export function isEncoded(response: OpenedResponse): boolean {
  const encoding = header(response.headers, 'content-encoding')?.trim().toLowerCase();
  return !!encoding && encoding !== 'identity';
}

/** Throws the JobFailure for any answer that carries no file bytes at all. */
export function failUnlessSuccess(response: OpenedResponse): void {
  const { status } = response;
  if (status === 200 || status === 206 || status === 416) return;
  if (status >= 400) throw failureFromStatus(status, header(response.headers, 'retry-after'));
  throw new JobFailure('http', `The server answered ${statusText(status)} instead of the file.`, { status });
}

/** An entity tag without its weak marker: weak comparison (RFC 9110, 8.8.3.2). */
function opaqueTag(etag: string): string {
  return etag.startsWith('W/') ? etag.slice(2) : etag;
}

/**
 * The answer names another version of the file. Any entity tag, weak ones too, names a
 * version: a weak tag cannot prove two answers' bytes equal, but a different one proves
 * them different.
 */
function validatorChanged(response: OpenedResponse, known: KnownFile): boolean {
  const etag = header(response.headers, 'etag');
  if (known.etag !== null && etag !== null) return opaqueTag(etag) !== opaqueTag(known.etag);
  if (strongEtag(known.etag) !== null) return false;
  const lastModified = header(response.headers, 'last-modified');
  return known.lastModified !== null && lastModified !== null && lastModified !== known.lastModified;
}

/**
 * Judges the answer to a request for bytes from `start`, to whatever end was asked: only
 * where the bytes start must agree. Error statuses throw.
 */
export function checkRangeResponse(response: OpenedResponse, start: number, known: KnownFile): RangeVerdict {
  failUnlessSuccess(response);
  if (response.status === 200) return { kind: 'full' };
  const range = parseContentRange(header(response.headers, 'content-range'));
  if (response.status === 416) return unsatisfied(range, start, known);
  if (isEncoded(response) || !range || !range.satisfied) return { kind: 'no-ranges' };
  // Bytes from where they were asked are placed by Content-Range, however far they go: a
  // server that answers every range to the end of the file is read up to the segment's end
  // (or on into the next, see WorkPlan.absorbNext) and then cut.
  if (range.start !== start) return { kind: 'no-ranges' };
  if (validatorChanged(response, known)) return { kind: 'changed' };
  if (known.totalBytes !== null && range.total !== null && range.total !== known.totalBytes) {
    // The same version (or none is named) in another size. A smaller size is believed
    // only once a 416 at that offset proves it (`ends`); trusted at once it cut files
    // short when a server's ranges, not its first length, were wrong.
    if (range.total > known.totalBytes || (known.etag === null && known.lastModified === null)) {
      return { kind: 'no-ranges' };
    }
  }
  // Content-Range places the bytes; a Content-Length that disagrees (a server that adds to
  // every length) changes nothing: reading stops at the segment's end, or ends short and
  // the rest is asked for again.
  return { kind: 'range', end: range.end };
}

/**
 * A 416: the file ends where our bytes end (`complete`, or `ends` below the size first
 * announced), another size names another file, and a refusal inside the file as we
 * know it means its ranges are broken.
 */
function unsatisfied(range: ReturnType<typeof parseContentRange>, start: number, known: KnownFile): RangeVerdict {
  if (range && !range.satisfied && range.total === start && range.total !== null) {
    if (known.totalBytes === start) return { kind: 'complete' };
    if (known.totalBytes !== null && range.total < known.totalBytes) return { kind: 'ends', total: range.total };
  }
  if (range && !range.satisfied && range.total !== null && range.total !== known.totalBytes) return { kind: 'changed' };
  return { kind: 'no-ranges' };
}

/**
 * The answer to a plain request is the whole file: a 200, or a 206 whose Content-Range
 * covers every byte (servers that always answer with a range; curl takes them too).
 */
export function wholeFileAnswer(response: OpenedResponse): boolean {
  if (response.status === 200) return true;
  if (response.status !== 206 || isEncoded(response)) return false;
  const range = parseContentRange(header(response.headers, 'content-range'));
  return !!range && range.satisfied && range.start === 0 && range.end === range.total;
}

/** The total size a 200 announces, when it can be trusted to count file bytes. */
export function announcedLength(response: OpenedResponse, evenIfEncoded = false): number | null {
  if (isEncoded(response) && !evenIfEncoded) return null;
  return contentLength(response.headers);
}

/** True when a 200 says the server takes range requests for this file. */
export function acceptsRanges(response: OpenedResponse): boolean {
  if (response.status === 206) return true;
  return /\bbytes\b/iu.test(header(response.headers, 'accept-ranges') ?? '');
}

/** The file facts an answer carries; Content-Range's total wins over Content-Length. */
export function describe(response: OpenedResponse): KnownFile & { contentType: string | null } {
  const range = parseContentRange(header(response.headers, 'content-range'));
  const total = range ? range.total : announcedLength(response);
  return {
    totalBytes: total,
    etag: header(response.headers, 'etag'),
    lastModified: header(response.headers, 'last-modified'),
    contentType: header(response.headers, 'content-type'),
  };
}
