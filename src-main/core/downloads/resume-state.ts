import { z } from 'zod';
import type { ResumeState } from '../jobs/runner';
import type { Segment } from './segments';

/**
 * What one attempt leaves for the next: the names, the validators that prove the file
 * did not change, and per segment the bytes already durable on disk. The job core keeps
 * it opaque; it is parsed here, and a state that does not parse is ignored.
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
  /** [start, end, pos] per segment. */
  segments: z.array(z.tuple([z.number().int(), z.number().int(), z.number().int()])),
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

export function encodeState(state: TransferState): ResumeState {
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
    segments: state.segments
      .filter((s): s is Segment & { end: number } => s.end !== null)
      .map((s) => [s.start, s.end, s.pos]),
  };
}

export function decodeState(saved: ResumeState | null): TransferState | null {
  const parsed = SavedState.safeParse(saved);
  if (!parsed.success) return null;
  const { v: _v, segments, ...rest } = parsed.data;
  return { ...rest, segments: segments.map(([start, end, pos]) => ({ start, end, pos })) };
}

/** A strong ETag, or null: a weak one cannot validate byte ranges. */
export function strongEtag(etag: string | null): string | null {
  return etag && !etag.startsWith('W/') ? etag : null;
}

/** The If-Range value: the strong ETag, else Last-Modified. */
export function ifRangeValue(state: Pick<TransferState, 'etag' | 'lastModified'>): string | null {
  return strongEtag(state.etag) ?? state.lastModified;
}
