/**
 * Range arithmetic for segmented downloads. A segment is the half-open byte interval
 * [start, end) of the file, with `pos` the first byte not yet written. Segments are
 * sorted, disjoint and together cover [0, total): a split never loses or repeats a byte.
 */

export interface Segment {
  start: number;
  /** Exclusive; null while the total size is unknown (one streamed segment). */
  end: number | null;
  pos: number;
}

export function segmentDone(segment: Segment): boolean {
  return segment.end !== null && segment.pos >= segment.end;
}

/** Bytes written across all segments. */
export function doneBytes(segments: readonly Segment[]): number {
  return segments.reduce((sum, s) => sum + (s.pos - s.start), 0);
}

/**
 * Where the bytes written from offset 0 without a gap end: the file's prefix that can
 * be hashed. Segments must be sorted.
 */
export function landedPrefix(segments: readonly Segment[]): number {
  let end = 0;
  for (const s of segments) {
    if (s.start !== end) break;
    end = s.pos;
    if (s.end === null || s.pos < s.end) break;
  }
  return end;
}

/** The one segment of a download whose size is `total` (null: unknown). */
/** Cuts every segment at `total`, the file's real end: nothing past it is asked for. */
export function clipSegments(segments: Segment[], total: number): void {
  for (const segment of segments) {
    if (segment.end === null || segment.end > total) segment.end = Math.max(segment.start, total);
    if (segment.pos > segment.end) segment.pos = segment.end;
  }
}

export function wholeFile(total: number | null): Segment[] {
  return [{ start: 0, end: total, pos: 0 }];
}

/**
 * Splits the undone part of `segment` in two at its middle, moved on by `align` (to a
 * place the connection fetching it can be cut without waste). `busy` bytes after `pos`
 * are already being written and stay with the old segment. Returns the new second half
 * (the old segment is shortened in place), or null when either half would be smaller
 * than `minBytes`.
 */
export function splitSegment(
  segment: Segment,
  minBytes: number,
  busy = 0,
  align: (at: number) => number = (at) => at,
): Segment | null {
  if (segment.end === null) return null;
  const from = segment.pos + busy;
  const left = segment.end - from;
  if (left < 2 * Math.max(1, minBytes)) return null;
  const mid = align(from + Math.ceil(left / 2));
  if (segment.end - mid < Math.max(1, minBytes)) return null;
  const tail: Segment = { start: mid, end: segment.end, pos: mid };
  segment.end = mid;
  return tail;
}

/** The segments in file order, after a split appended a new one. */
export function sortSegments<T extends Segment>(segments: T[]): T[] {
  return segments.sort((a, b) => a.start - b.start);
}

/**
 * Checks a saved segment list against the file on disk: each `pos` is clamped to what
 * the file holds, since bytes past its end were never written. Returns null when the
 * list is not a valid cover of [0, total).
 */
export function restoreSegments(saved: readonly Segment[], total: number, fileSize: number): Segment[] | null {
  const segments = saved.map((s) => ({ ...s }));
  let expected = 0;
  for (const s of segments) {
    if (s.end === null || s.start !== expected || s.end < s.start || s.pos < s.start || s.pos > s.end) return null;
    s.pos = Math.min(s.pos, Math.max(s.start, fileSize));
    expected = s.end;
  }
  return expected === total ? segments : null;
}

/** `bytes=a-b` for the half-open [start, end), or `bytes=a-` when the end is unknown. */
export function formatRange(start: number, end: number | null): string {
  return end === null ? `bytes=${start}-` : `bytes=${start}-${end - 1}`;
}

export type ContentRange =
  { satisfied: true; start: number; end: number; total: number | null } | { satisfied: false; total: number };

/**
 * Parses `bytes a-b/total`, `bytes a-b/*` or `bytes * /total` (416). `end` is
 * exclusive here. Null for anything else, including an inverted range or an end past
 * the total.
 */
export function parseContentRange(value: string | null | undefined): ContentRange | null {
  if (!value) return null;
  const unsatisfied = /^\s*bytes\s+\*\/(\d+)\s*$/iu.exec(value);
  if (unsatisfied) return { satisfied: false, total: Number(unsatisfied[1]) };
  const match = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/iu.exec(value);
  if (!match) return null;
  const start = Number(match[1]);
  const end = Number(match[2]) + 1;
  const total = match[3] === '*' ? null : Number(match[3]);
  if (!Number.isSafeInteger(end) || end <= start || (total !== null && end > total)) return null;
  return { satisfied: true, start, end, total };
}
