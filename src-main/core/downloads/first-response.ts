import type { AnswerBody } from './answer-body';
import type { Dispatcher } from 'undici';
import { JobFailure, type DownloadContext } from '../jobs/runner';
import { partSuffix, sanitizeFileName } from './file-name';
import { header, openResponse, type OpenedResponse } from './http-request';
import { chooseFileName, mediaType } from './name-from-response';
import { MemoryPart, PartFile } from './part-file';
import {
  acceptsRanges,
  announcedLength,
  checkRangeResponse,
  describe,
  failUnlessSuccess,
  isEncoded,
  wholeFileAnswer,
} from './response-check';
import { encodeState, ifRangeValue, type TransferState } from './resume-state';
import { clipSegments, parseContentRange, restoreSegments, segmentDone, wholeFile, type Segment } from './segments';
import { withPublishing, type Publishing } from './published';
import { ensureRoom, pathInFolder, reservePart, type ReserveOptions } from './target-folder';

/** Where a round of transfer starts: the file, its segments, and one open answer. */
export interface Established {
  state: TransferState;
  segments: Segment[];
  /** Memory for a small new answer: its names are then wanted, not yet claimed. */
  part: PartFile | MemoryPart;
  /** Extra connections may ask for ranges. */
  ranges: boolean;
  /** The answer the first connection reads; null when every byte is already there. */
  first: { segment: Segment; body: AnswerBody; coveredEnd: number | null } | null;
  /** The part file was emptied: hashing starts over. */
  fromZero: boolean;
}

export interface EstablishInput {
  ctx: DownloadContext;
  folder: string;
  dispatcher: Dispatcher;
  userAgent: string;
  signal: AbortSignal;
  /** State from the last attempt (first round only). */
  saved: TransferState | null;
  /** Names kept from an earlier round or attempt. */
  names: { fileName: string; partName: string } | null;
  /** Never send Range: the server proved its ranges unusable. */
  noRanges: boolean;
  /**
   * A new download asks for its first piece, and a resumed one for a piece of its first
   * missing bytes (see firstPieceBytes): more than one connection may fetch it.
   */
  firstPiece: boolean;
  /** A new answer announcing at most this many bytes is held in memory (0: never). */
  holdUpTo: number;
}

/** The suffix that says what a file holds when it is stored as the server encoded it. */
const encodedSuffix: Record<string, string> = { gzip: '.gz', 'x-gzip': '.gz', deflate: '.zz', br: '.br' };

/**
 * A new download that more than one connection may fetch asks for the file's first bytes,
 * this many (`Range: bytes=0-4194303`): an answer that ends by itself never has to be cut
 * when more connections take the rest (the server would have sent what was on its way for
 * nothing), and the connection goes on in pieces (see WorkPlan.leavePiece). A file no
 * larger comes in that one answer. @default 4 MiB
 */
export const firstPieceBytes = 4 << 20;

/**
 * The first piece a 206 brings: from byte 0, the file's size named, not encoded. Null for
 * any other answer: a 200 or an error is taken as a plain request's, and anything else
 * (a 416, a range without a size) is asked for again without a range.
 */
function firstPiece(response: OpenedResponse): { total: number; end: number } | null {
  if (response.status !== 206 || isEncoded(response)) return null;
  const range = parseContentRange(header(response.headers, 'content-range'));
  if (!range?.satisfied || range.start !== 0 || range.total === null) return null;
  return { total: range.total, end: range.end };
}

/** A .gz served with Content-Encoding: gzip is the file itself (a common misconfiguration). */
function isCompressedFile(response: OpenedResponse, name: string): boolean {
  const type = mediaType(header(response.headers, 'content-type')) ?? '';
  return /gzip|x-tar|compressed/u.test(type) || /\.(gz|tgz|svgz|br|zz)$/iu.test(name);
}

/**
 * Where a resumed download's first request ends: a first piece of the missing bytes where
 * more connections may fetch them, as for a new download (see firstPieceBytes), so that
 * the connections the trial adds take the rest without cutting that answer short.
 */
function firstAsk(segment: { pos: number; end: number | null }, piece: boolean): number | null {
  if (!piece || segment.end === null) return segment.end;
  return Math.min(segment.end, segment.pos + firstPieceBytes);
}

/** Resumes from saved segments: asks for the first missing bytes with If-Range. */
async function resume(input: EstablishInput, given: TransferState): Promise<Established | 'fresh' | 'no-ranges'> {
  const saved = given;
  if (!saved.resumable || saved.totalBytes === null || input.noRanges) return 'fresh';
  const part = await PartFile.reopen(pathInFolder(input.folder, saved.partName));
  if (!part) return 'fresh';
  try {
    return await resumeWith(input, { ...saved, totalBytes: saved.totalBytes }, part);
  } catch (error) {
    // A request that failed (a network error, a stop) must not leave the file open.
    await part.close();
    throw error;
  }
}

async function resumeWith(
  input: EstablishInput,
  given: TransferState & { totalBytes: number },
  part: PartFile,
): Promise<Established | 'fresh' | 'no-ranges'> {
  let saved = given;
  const segments = restoreSegments(saved.segments, saved.totalBytes, await part.size());
  if (!segments) return keepPart(part, 'fresh');
  for (let guard = 0; guard <= segments.length; guard += 1) {
    const next = segments.find((s) => !segmentDone(s));
    if (!next) return { state: saved, segments, part, ranges: true, first: null, fromZero: false };
    const response = await openResponse(input.ctx.job.url, {
      dispatcher: input.dispatcher,
      headers: input.ctx.job.options.headers ?? {},
      signal: input.signal,
      range: { start: next.pos, end: firstAsk(next, input.firstPiece) },
      ifRange: ifRangeValue(saved),
      userAgent: input.userAgent,
      allowedHosts: input.ctx.job.options.allowedHosts,
      owner: input.ctx.job.url,
    });
    let verdict: ReturnType<typeof checkRangeResponse>;
    try {
      verdict = checkRangeResponse(response, next.pos, saved);
    } catch (error) {
      await response.body.dump().catch(() => undefined);
      await part.close();
      throw error;
    }
    if (verdict.kind === 'range') {
      const state = { ...saved, url: response.url };
      return {
        state,
        segments,
        part,
        ranges: true,
        first: { segment: next, body: response.body, coveredEnd: verdict.end },
        fromZero: false,
      };
    }
    if (verdict.kind === 'full') {
      input.ctx.log('The server sent the whole file again (it changed or ignores ranges): starting over.');
      return adopt({ ...input, names: namesOf(saved) }, response, part);
    }
    await response.body.dump().catch(() => undefined);
    if (verdict.kind === 'complete') next.pos = next.end ?? next.pos;
    else if (verdict.kind === 'ends') {
      input.ctx.log(`The server says the file ends at byte ${verdict.total}, below the size it announced.`);
      saved = { ...saved, totalBytes: verdict.total };
      clipSegments(segments, verdict.total);
    } else return keepPart(part, verdict.kind === 'changed' ? 'fresh' : 'no-ranges');
  }
  return keepPart(part, 'fresh');
}

function namesOf(state: TransferState): { fileName: string; partName: string } {
  return { fileName: state.fileName, partName: state.partName };
}

async function keepPart<T>(part: PartFile, result: T): Promise<T> {
  await part.close();
  return result;
}

/**
 * Reserves the first free name like `wanted` and creates its part file. The name and the
 * part file are the job's from before the file exists, in SQLite too: a crash before the
 * first checkpoint comes back to them instead of taking ` (1)`. With `publishing`, the
 * same commit records what the file will be published as.
 */
export function claimPart(
  ctx: DownloadContext,
  folder: string,
  wanted: string,
  url: string,
  publishing?: (fileName: string) => Publishing,
  options?: ReserveOptions,
): Promise<{ fileName: string; part: PartFile }> {
  const claim = (fileName: string): void => {
    const state = encodeState(claimedState({ fileName, partName: fileName + partSuffix }, url));
    ctx.saveState(publishing ? withPublishing(state, publishing(fileName)) : state, { fileName });
  };
  return reservePart(folder, wanted, claim, options);
}

/** A state that owns the names and nothing else yet: resumed, it starts from byte 0. */
function claimedState(names: { fileName: string; partName: string }, url: string): TransferState {
  return {
    ...names,
    url,
    totalBytes: null,
    etag: null,
    lastModified: null,
    contentType: null,
    resumable: false,
    segments: [],
  };
}

/**
 * Takes a 200 as the start of the whole file, or a first piece's 206 (`piece`): names it,
 * empties or creates the part.
 */
async function adopt(
  input: EstablishInput,
  response: OpenedResponse,
  existing: PartFile | null,
  piece: { total: number; end: number } | null = null,
): Promise<Established> {
  if (!piece && !wholeFileAnswer(response)) {
    await existing?.close();
    await response.body.dump().catch(() => undefined);
    failUnlessSuccess(response);
    throw new JobFailure('http', `The server answered ${response.status} to a plain request for the file.`);
  }
  const facts = describe(response);
  const { ctx } = input;
  // Haul asks for `identity`; a server that encodes anyway gets its bytes stored as sent,
  // never decoded: no expansion (a small answer cannot fill the disk), and a name that
  // says what the file is. It cannot be resumed: ranges of an encoding are not trusted.
  const encoding = header(response.headers, 'content-encoding')?.trim().toLowerCase() ?? 'identity';
  const encoded = encoding !== 'identity';
  const total = piece ? piece.total : announcedLength(response, true);
  if (!input.names && total !== null) {
    await ensureRoom(input.folder, total).catch(async (error: unknown) => {
      await response.body.dump().catch(() => undefined);
      throw error;
    });
  }
  let part: PartFile | MemoryPart | null = null;
  let names = input.names;
  if (names) {
    part = existing ?? (await PartFile.reopen(pathInFolder(input.folder, names.partName)));
    if (part) await part.truncate(0);
  }
  if (!part) {
    // Only a name the user chose is kept as given; job.fileName may be one the engine picked.
    const userName = ctx.job.options.fileName;
    let wanted =
      names?.fileName ??
      (userName
        ? sanitizeFileName(userName)
        : chooseFileName({
            disposition: header(response.headers, 'content-disposition'),
            url: response.url,
            contentType: facts.contentType,
          }));
    if (encoded && !names && !userName && !isCompressedFile(response, wanted)) {
      wanted = sanitizeFileName(wanted + (encodedSuffix[encoding] ?? ''));
    }
    if (!names && !encoded && total !== null && total <= input.holdUpTo) {
      // Claimed with what it publishes once every byte is in (see finishHeld).
      part = new MemoryPart(total);
      names = { fileName: wanted, partName: wanted + partSuffix };
    } else {
      const reserved = await claimPart(ctx, input.folder, wanted, response.url);
      part = reserved.part;
      names = { fileName: reserved.fileName, partName: reserved.fileName + partSuffix };
    }
  }
  const { fileName, partName } = names!;
  if (encoded) {
    ctx.log(`The server sent the file encoded as "${encoding}" although Haul asked for it as is; it is saved as sent.`);
  }
  const body = response.body;

  const state: TransferState = {
    fileName,
    partName,
    url: response.url,
    totalBytes: total,
    etag: facts.etag,
    lastModified: facts.lastModified,
    contentType: facts.contentType,
    resumable: total !== null && !encoded,
    segments: [],
  };
  const segments = wholeFile(total);
  const ranges = !input.noRanges && !encoded && total !== null && acceptsRanges(response);
  const coveredEnd = piece ? piece.end : total;
  return { state, segments, part, ranges, first: { segment: segments[0]!, body, coveredEnd }, fromZero: true };
}

/**
 * Opens the first connection of a round: a resume when the saved state still matches
 * the server, else the whole file from byte 0 (never appended to old bytes).
 */
export async function establish(input: EstablishInput): Promise<Established> {
  let noRanges = input.noRanges;
  if (input.saved) {
    const resumed = await resume(input, input.saved);
    if (typeof resumed !== 'string') return resumed;
    noRanges ||= resumed === 'no-ranges';
  }
  const ask = (range?: { start: number; end: number }) =>
    openResponse(input.ctx.job.url, {
      dispatcher: input.dispatcher,
      headers: input.ctx.job.options.headers ?? {},
      signal: input.signal,
      range,
      userAgent: input.userAgent,
      allowedHosts: input.ctx.job.options.allowedHosts,
      owner: input.ctx.job.url,
    });
  const ranged = input.firstPiece && !noRanges;
  let response = await ask(ranged ? { start: 0, end: firstPieceBytes } : undefined);
  const piece = ranged ? firstPiece(response) : null;
  if (ranged && !piece && (response.status === 206 || response.status === 416 || isEncoded(response))) {
    // A range it would not give from byte 0 with the file's size (an empty file's 416), or
    // an answer encoded although Haul asked for it as is (a server that compresses what a
    // range asks for): the whole file, as a plain request.
    await response.body.dump().catch(() => undefined);
    response = await ask();
  }
  const names = input.names ?? (input.saved ? namesOf(input.saved) : null);
  return adopt({ ...input, names, noRanges }, response, null, piece);
}
