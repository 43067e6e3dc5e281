import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { JobFailure, type DownloadContext, type DownloadOutcome } from '../jobs/runner';
import type { AttemptContext } from './attempt-context';
import { DiskFailure } from './failures';
import { partSuffix } from './file-name';
import { claimPart } from './first-response';
import { detectType, magicLength } from './magic-bytes';
import { mediaType } from './name-from-response';
import { recordOrigin } from './origin-xattr';
import type { MemoryPart } from './part-file';
import { encodeState } from './resume-state';
import { withPublishing, type Publishing } from './published';
import { publish } from './target-folder';
import type { Transfer } from './transfer';

/** Throws a `checksum` failure, after `forget`, when the user's checksum does not match. */
function checkChecksum(ctx: DownloadContext, checksum: string | null, forget: () => void): void {
  const expected = ctx.job.options.checksum;
  if (!expected || checksum === expected.value.toLowerCase()) return;
  forget();
  throw new JobFailure(
    'checksum',
    `The file's ${expected.algorithm} is ${checksum}, but ${expected.value.toLowerCase()} was expected. ` +
      'The download is damaged or not the file you meant; it was not saved under its name.',
  );
}

/**
 * The processing step, once every byte is in the part file: verify the checksum, hash
 * (when fingerprints are on), detect the type, move the file to its final name and record
 * its origin.
 */
export async function finishDownload(
  ctx: DownloadContext,
  transfer: Transfer,
  options: { recordOrigin: boolean },
): Promise<DownloadOutcome> {
  const { part, state } = transfer;
  if (!part || !state) throw new JobFailure('internal', 'The download finished without a file.');
  const totalBytes = transfer.totalBytes();
  // The size, the first bytes (for the type) and the sync that makes every byte durable
  // before the state below says so, all at once: one wait for the disk, not three.
  const head = Buffer.alloc(Math.min(magicLength, totalBytes));
  const [found] = await Promise.all([part.identity(), part.read(head, 0), part.sync()]);
  if (found.size < totalBytes) {
    throw new JobFailure('internal', `The partial file holds ${found.size} of ${totalBytes} bytes.`);
  }
  // Cut to size, it has another modification time: what names it is read again.
  if (found.size > totalBytes) await part.truncate(totalBytes);
  const { file } = found.size > totalBytes ? await part.identity() : found;

  const digests = await transfer.digest.finish(part, totalBytes);
  checkChecksum(ctx, digests.checksum, () => {
    // Forget the bytes: a retry must download again, not verify the same bytes forever.
    for (const segment of transfer.segments) segment.pos = segment.start;
    ctx.saveState(encodeState({ ...state, segments: transfer.segments }));
  });

  const contentType = detectType(head) ?? mediaType(state.contentType);
  await part.close();
  if (ctx.signal.aborted) throw ctx.signal.reason;

  // Recorded before the rename: a stop between it and the job's `completed` finds the file.
  const publishing = {
    fileName: state.fileName,
    sha256: digests.sha256,
    file,
    totalBytes,
    finalUrl: state.url,
    contentType,
  };
  ctx.saveState(withPublishing(encodeState({ ...state, segments: transfer.segments }), publishing));
  const fileName = await publish(transfer.folder, state.partName, state.fileName);
  const path = join(transfer.folder, fileName);
  if (options.recordOrigin) await recordOrigin(path, state.url);
  return { path, fileName, totalBytes, finalUrl: state.url, contentType, sha256: digests.sha256 };
}

/**
 * The processing step of a small answer held in memory: its hash and type are known
 * before anything is written, so the name is claimed together with what is to be
 * published, in one commit, and the file is written, synced and published once. A crash
 * after that commit finds both: the file in place (see alreadyPublished), or else the
 * answer starts over under that name. The part file is this step's alone, removed when
 * the step fails before publishing: held bytes are never resumed from a part file.
 */
export async function finishHeld(
  ctx: AttemptContext,
  transfer: Transfer,
  held: MemoryPart,
  options: { recordOrigin: boolean },
): Promise<DownloadOutcome> {
  const { state } = transfer;
  if (!state) throw new JobFailure('internal', 'The download finished without a state.');
  const totalBytes = transfer.totalBytes();
  if (totalBytes > held.bytes.length) {
    throw new JobFailure('internal', `Memory holds ${held.bytes.length} of ${totalBytes} bytes.`);
  }
  const bytes = held.bytes.subarray(0, totalBytes);
  const digests = await transfer.digest.finish(held, totalBytes);
  checkChecksum(ctx, digests.checksum, () => undefined);
  // What names the file for a crash after the claim, which is recorded before the file
  // exists: its SHA-256 even where fingerprints are off (at most heldAnswerBytes to hash).
  const sha256 = digests.sha256 ?? createHash('sha256').update(bytes).digest('hex');
  const contentType = detectType(bytes.subarray(0, magicLength)) ?? mediaType(state.contentType);
  if (ctx.signal.aborted) throw ctx.signal.reason;

  const publishing = (fileName: string): Publishing => ({
    fileName,
    sha256,
    fingerprint: digests.sha256 !== null,
    totalBytes,
    finalUrl: state.url,
    contentType,
  });
  // Written once, durable as the write returns, and published a moment later: the name
  // is not looked up first (publishing numbers it where it is taken).
  const { fileName: claimed, part } = await claimPart(ctx, transfer.folder, state.fileName, state.url, publishing, {
    lookUp: false,
    part: { durableWrites: true },
  });
  let fileName: string;
  try {
    await part.write([bytes], 0);
    await part.sync();
    await part.close();
    if (ctx.signal.aborted) throw ctx.signal.reason;
    fileName = await publish(transfer.folder, claimed + partSuffix, claimed);
  } catch (error) {
    await ctx.discard(part);
    // The bytes were in memory only: no partial file is left for a retry to find.
    throw error instanceof DiskFailure ? error.withoutPart() : error;
  }
  const path = join(transfer.folder, fileName);
  if (options.recordOrigin) await recordOrigin(path, state.url);
  return { path, fileName, totalBytes, finalUrl: state.url, contentType, sha256: digests.sha256 };
}
