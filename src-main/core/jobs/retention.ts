import { isFinishedStatus } from '../../../src-common/contract';
import type { Clock } from '../clock';
import { cannotSave, isDamaged } from '../errors';
import type { HistoryPruner } from '../store/history-pruner';
import type { JobRegistry } from './registry';

export interface RetentionOptions {
  /** @default 5 minutes (event-stream API) */
  sweepEveryMs: number;
  /** The first sweep runs this long after start, so start-up stays quick. @default 2 s */
  firstSweepAfterMs: number;
  /** Finished jobs leave the live list after this. @default 1 hour */
  finishedTtlMs: number;
  /** Paused jobs leave the live list after this. @default 24 hours */
  pausedTtlMs: number;
  /** History caps (queues API). @default 1000 and 5000 */
  keepCompleted: number;
  keepFailed: number;
  /** History older than this many days is deleted (job-management API). @default 30 */
  expiryDays: () => number;
  /**
   * History rows deleted per batch; a backlog goes a batch every 20 ms. Each row costs
   * 30-45 µs (its indexes and the text index), so a batch holds the event loop for about
   * 30-60 ms; smaller batches cost more in all (each commit writes the text index anew).
   * @default 1000
   */
  pruneBatch: number;
  /** A sweep met a damaged page of the database: told once, and the sweeps stop. */
  onDamaged?: (error: unknown) => void;
}

export const retentionDefaults: RetentionOptions = {
  sweepEveryMs: 5 * 60_000,
  firstSweepAfterMs: 2000,
  finishedTtlMs: 60 * 60_000,
  pausedTtlMs: 24 * 60 * 60_000,
  keepCompleted: 1000,
  keepFailed: 5000,
  expiryDays: () => 30,
  pruneBatch: 1000,
};

/**
 * One sweep: retire old jobs from the live list (with `removed` events) and prune one
 * batch of history. Answers how many history rows went; more may be left when it is
 * a full batch.
 */
export function sweep(
  registry: JobRegistry,
  pruner: Pick<HistoryPruner, 'prune'>,
  now: number,
  options: RetentionOptions,
): number {
  for (const { job } of registry.liveJobs()) {
    const age = now - (job.finishedAt ?? job.updatedAt);
    const finished = isFinishedStatus(job.status);
    const resting = job.status === 'paused' || job.status === 'suspended';
    if ((finished && age >= options.finishedTtlMs) || (resting && age >= options.pausedTtlMs)) {
      registry.retire(job.id);
    }
  }
  return pruner.prune({
    keepCompleted: options.keepCompleted,
    keepFailed: options.keepFailed,
    expireBefore: now - options.expiryDays() * 86_400_000,
    batch: options.pruneBatch,
  });
}

export function startRetention(
  registry: JobRegistry,
  pruner: Pick<HistoryPruner, 'prune'>,
  clock: Clock,
  overrides: Partial<RetentionOptions> = {},
): () => void {
  const options = { ...retentionDefaults, ...overrides };
  let timer: unknown;
  const tick = () => {
    let pruned = 0;
    try {
      pruned = sweep(registry, pruner, clock.now(), options);
    } catch (error) {
      // The history cannot be read until the next start repairs the file; the live list
      // needs no sweep to work.
      if (isDamaged(error)) return options.onDamaged?.(error);
      // Its disk full: the next sweep does what this one could not.
      if (!cannotSave(error)) throw error;
    }
    // A large backlog (after an upgrade, or a shorter expiry) goes in batches with the
    // event loop free in between, instead of one long stop.
    timer = clock.setTimeout(tick, pruned > 0 ? 20 : options.sweepEveryMs);
  };
  timer = clock.setTimeout(tick, options.firstSweepAfterMs);
  return () => clock.clearTimeout(timer);
}

/**
 * After a restart: downloads that were moving come back pending and resume from their
 * saved bytes; plugin jobs fail as `interrupted` (the code that ran them is gone) and can
 * be retried; paused stays paused.
 */
export function recoverAfterRestart(registry: JobRegistry): { recovered: number; interrupted: number } {
  let recovered = 0;
  let interrupted = 0;
  for (const { job } of registry.liveJobs()) {
    if (job.source === 'download' && (job.status === 'downloading' || job.status === 'processing')) {
      // The attempt the restart cut short did not fail: it is not counted against the job.
      registry.transition(
        job.id,
        'recover',
        {
          speed: 0,
          eta: null,
          connections: 0,
          attempts: Math.max(0, job.attempts - 1),
          message: 'Resuming after restart',
        },
        {},
        { orHold: true },
      );
      recovered += 1;
    } else if (job.source === 'plugin' && (job.status === 'running' || job.status === 'pending')) {
      registry.transition(
        job.id,
        'interrupt',
        {
          error: { kind: 'interrupted', message: 'Haul stopped while this job was running. Retry it to run it again.' },
          message: 'Interrupted by a restart',
        },
        {},
        { orHold: true },
      );
      interrupted += 1;
    }
  }
  return { recovered, interrupted };
}
