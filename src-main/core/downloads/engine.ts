import { cannotSave } from '../errors';
import { JobFailure, type DownloadContext, type DownloadOutcome, type DownloadRunner } from '../jobs/runner';
import { AttemptContext } from './attempt-context';
import { primeAllocator } from './chunk-release';
import { resolveSettings, type DownloadEngineOptions, type EngineSettings } from './engine-options';
import { DiskFailure } from './failures';
import { finishDownload, finishHeld } from './finish';
import { alreadyPublished } from './published';
import { resolveFolder } from './target-folder';
import { Transfer } from './transfer';

export type { DownloadEngineOptions } from './engine-options';
export { createRateLimiter, type RateLimiter } from './rate-limiter';

function asFailure(error: unknown): unknown {
  if (error instanceof JobFailure) return error;
  // Its database refused a write: the job center words and retries that (see toJobError).
  if (cannotSave(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new JobFailure('internal', `Unexpected error in the download engine: ${message}`);
}

/** Ends an attempt that did not finish: keep or remove the part file, save the state. */
async function stop(ctx: AttemptContext, transfer: Transfer, error: unknown): Promise<never> {
  await transfer.settle();
  // Nothing more to hash this attempt; its read-backs must not outlive the part file.
  transfer.digest.reset();
  if (ctx.signal.aborted) {
    const reason: unknown = ctx.signal.reason;
    if (reason === 'cancelled') {
      // The cancel cleared the job's state: nothing is left to name the part.
      await transfer.part?.discard();
    } else {
      await transfer.checkpoint(true).catch(() => undefined);
      await transfer.part?.close();
    }
    throw reason;
  }
  await transfer.checkpoint(true).catch(() => undefined);
  // Bytes that cannot be resumed are of no use to the next attempt: leave nothing behind.
  if (transfer.state?.resumable === false) {
    if (transfer.part) await ctx.discard(transfer.part);
    throw error instanceof DiskFailure ? error.withoutPart() : asFailure(error);
  }
  await transfer.part?.close();
  throw asFailure(error);
}

async function runOnce(given: DownloadContext, settings: EngineSettings): Promise<DownloadOutcome> {
  const ctx = new AttemptContext(given);
  if (ctx.signal.aborted) throw ctx.signal.reason;
  const folder = await resolveFolder(ctx.job.dir);
  const published = await alreadyPublished(ctx, folder);
  if (published) {
    ctx.enterProcessing();
    return published;
  }
  const transfer = new Transfer(ctx, settings, folder);
  try {
    await transfer.run();
  } catch (error) {
    return stop(ctx, transfer, error);
  } finally {
    transfer.release();
  }
  ctx.enterProcessing();
  try {
    const options = { recordOrigin: settings.recordOrigin };
    const { held } = transfer;
    return await (held ? finishHeld(ctx, transfer, held, options) : finishDownload(ctx, transfer, options));
  } catch (error) {
    return stop(ctx, transfer, error);
  }
}

/**
 * The download engine: one call is one attempt at one job. It resumes from the state
 * the last attempt saved, writes `<name>.part` in the job's folder and renames it once
 * verified. Failures throw a JobFailure; a stop rejects with the signal's reason.
 */
export function createDownloadEngine(options: DownloadEngineOptions = {}): DownloadRunner {
  primeAllocator();
  const settings = resolveSettings(options);
  return (ctx) => runOnce(ctx, settings);
}
