import { z } from 'zod';
import type { ResumeState } from '../jobs/runner';
import { bootId } from './boot-id';
import type { Segment } from './segments';

const Segments = z.array(z.tuple([z.number().int(), z.number().int(), z.number().int()]));

/**
 * What one attempt leaves for the next: the names, the validators that prove the file
 * did not change, per segment the bytes already durable on disk, and the bytes written
 * since (durable only while the machine has not restarted). The job core keeps it
 * opaque; it is parsed here, and a state that does not parse is ignored.
 */
const SavedState = z.object({
  v: z.literal(1),
  fileName: z.string().min(1),
  partName: z.string().min(1),
  url: z.string(),
  totalBytes: z.number().int().nonnegative().nullable(),
  etag: z.string().nullable(),
  lastModified: z.string().nullable(),
  contentType: z.string().nullable(),
  /** False when the bytes cannot be resumed (decoded content, no ranges, no size). */
  resumable: z.boolean(),
  /** [start, end, pos] per segment: bytes synced to disk. */
  segments: Segments,
  /** The same for bytes written but maybe not synced, and the boot they were written in. */
  written: z.object({ boot: z.string(), segments: Segments }).optional(),
});

export interface TransferState {
  fileName: string;
  partName: string;
  url: string;
  totalBytes: number | null;
  etag: string | null;
  lastModified: string | null;
  contentType: string | null;
  resumable: boolean;
  segments: Segment[];
}

function tuples(segments: readonly Segment[]): [number, number, number][] {
  return segments.filter((s): s is Segment & { end: number } => s.end !== null).map((s) => [s.start, s.end, s.pos]);
}

/** `written`: offsets whose bytes were written (not synced) in this boot, beyond `state.segments`. */
export function encodeState(state: TransferState, written?: readonly Segment[]): ResumeState {
  return {
    v: 1,
    fileName: state.fileName,
    partName: state.partName,
    url: state.url,
    totalBytes: state.totalBytes,
    etag: state.etag,
    lastModified: state.lastModified,
    contentType: state.contentType,
    resumable: state.resumable,
    segments: tuples(state.segments),
    ...(written ? { written: { boot: bootId(), segments: tuples(written) } } : {}),
  };
}

/** Segments that tile [0, total) in order, each position inside its segment. */
function covers(segments: readonly [number, number, number][], total: number | null): boolean {
  let expected = 0;
  for (const [start, end, pos] of segments) {
    if (start !== expected || end < start || pos < start || pos > end) return false;
    expected = end;
  }
  return expected === total;
}

/**
 * `saved` once the part file it names was removed (bytes that cannot be resumed, a
 * cancel, a held answer that failed before publishing): nothing under that name is the
 * download's any more, whatever is there by the next attempt (a file another download
 * published as that name, one another local user put in a shared folder). Decoded, it is
 * no state at all: the next attempt starts as a first one would, and nothing removes or
 * reopens that name for it. What publishing recorded stays (see alreadyPublished).
 */
export function withPartRemoved(saved: ResumeState): ResumeState {
  return { ...saved, partRemoved: true };
}

/**
 * The state to resume from. Written-but-unsynced offsets count only in the boot that
 * wrote them: a killed process leaves its writes in the page cache, a lost system does not.
 */
export function decodeState(saved: ResumeState | null, boot = bootId()): TransferState | null {
  if (saved?.['partRemoved'] === true) return null;
  const parsed = SavedState.safeParse(saved);
  if (!parsed.success) return null;
  const { v: _v, segments, written, ...rest } = parsed.data;
  const usable = written && written.boot === boot && covers(written.segments, rest.totalBytes);
  const trusted = usable ? written.segments : segments;
  return { ...rest, segments: trusted.map(([start, end, pos]) => ({ start, end, pos })) };
}

/** The offsets a saved state says are synced, whichever boot wrote it; null when it does not parse. */
export function syncedSegments(saved: ResumeState | null): Segment[] | null {
  const parsed = SavedState.safeParse(saved);
  return parsed.success ? parsed.data.segments.map(([start, end, pos]) => ({ start, end, pos })) : null;
}

/** A strong ETag, or null: a weak one cannot validate byte ranges. */
export function strongEtag(etag: string | null): string | null {
  return etag && !etag.startsWith('W/') ? etag : null;
}

/** The If-Range value: the strong ETag, else Last-Modified. */
export function ifRangeValue(state: Pick<TransferState, 'etag' | 'lastModified'>): string | null {
  return strongEtag(state.etag) ?? state.lastModified;
}
