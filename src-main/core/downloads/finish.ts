import { join } from 'node:path';
import { JobFailure, type DownloadContext, type DownloadOutcome } from '../jobs/runner';
import { detectType, magicLength } from './magic-bytes';
import { mediaType } from './name-from-response';
import { recordOrigin } from './origin-xattr';
import { encodeState } from './resume-state';
import { withPublishing } from './published';
import { publish } from './target-folder';
import type { Transfer } from './transfer';

/**
 * The processing step, once every byte is in the part file: verify the checksum, hash,
 * detect the type, move the file to its final name and record its origin.
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
  const [size] = await Promise.all([part.size(), part.read(head, 0), part.sync()]);
  if (size < totalBytes) {
    throw new JobFailure('internal', `The partial file holds ${size} of ${totalBytes} bytes.`);
  }
  if (size > totalBytes) await part.truncate(totalBytes);

  const digests = await transfer.digest.finish(part, totalBytes);
  const expected = ctx.job.options.checksum;
  if (expected && digests.checksum !== expected.value.toLowerCase()) {
    // Forget the bytes: a retry must download again, not verify the same bytes forever.
    for (const segment of transfer.segments) segment.pos = segment.start;
    ctx.saveState(encodeState({ ...state, segments: transfer.segments }));
    throw new JobFailure(
      'checksum',
      `The file's ${expected.algorithm} is ${digests.checksum}, but ${expected.value.toLowerCase()} was expected. ` +
        'The download is damaged or not the file you meant; it was not saved under its name.',
    );
  }

  const contentType = detectType(head) ?? mediaType(state.contentType);
  await part.close();
  if (ctx.signal.aborted) throw ctx.signal.reason;

  // Recorded before the rename: a stop between it and the job's `completed` finds the file.
  const publishing = { fileName: state.fileName, sha256: digests.sha256, totalBytes, finalUrl: state.url, contentType };
  ctx.saveState(withPublishing(encodeState({ ...state, segments: transfer.segments }), publishing));
  const fileName = await publish(transfer.folder, state.partName, state.fileName);
  const path = join(transfer.folder, fileName);
  if (options.recordOrigin) await recordOrigin(path, state.url);
  return { path, fileName, totalBytes, finalUrl: state.url, contentType, sha256: digests.sha256 };
}
