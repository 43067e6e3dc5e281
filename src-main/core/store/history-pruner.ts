import type { Database, Statement } from 'better-sqlite3';
import { finishedStatuses } from '../../../src-common/contract';

export interface PruneOptions {
  /** The newest this many completed jobs of the history are kept. */
  keepCompleted: number;
  /** The newest this many failed or cancelled jobs of the history are kept. */
  keepFailed: number;
  /** Finished history older than this (epoch ms) goes, caps or not. */
  expireBefore: number;
  /** At most this many rows go per call, so one call never blocks for long. @default 1000 */
  batch?: number;
}

/** The oldest row a cap keeps: rows ordered after it (older) are beyond the cap. */
interface CutOff {
  f: number | null;
  r: number;
}

type Category = 'completed' | 'failed';

const statusesOf: Record<Category, string> = {
  completed: `'completed'`,
  failed: `'failed', 'cancelled'`,
};
const finishedSql = finishedStatuses.map((status) => `'${status}'`).join(', ');

/**
 * Prunes the history (rows no longer in the live list) to its caps and its age limit, a
 * bounded batch per call. History is ordered by `finished_at`, then by `rowid` (the order
 * rows were made in): both are in the `jobs_retention` index (live, status, finished_at),
 * which SQLite keys by rowid, so the cut-off is found by walking the index past the kept
 * rows once, and each batch then reads the index from its old end, the rows to delete.
 *
 * The cut-offs are found at the first call of a run and kept while calls keep removing
 * rows: rows only join the history as newer ones, so everything older than a cut-off stays
 * beyond its cap. A call that removes nothing ends the run; the next one looks again.
 */
export class HistoryPruner {
  private cutOffs: Record<Category, CutOff | null> | null = null;
  private readonly findCutOff: Record<Category, Statement<[number], CutOff>>;
  private readonly deleteOlder: Record<Category, Statement<[CutOff & { n: number }]>>;
  private readonly deleteAll: Record<Category, Statement<[{ n: number }]>>;
  private readonly deleteExpired: Statement<[{ before: number; n: number }]>;

  constructor(private readonly db: Database) {
    const statements = <T>(make: (statuses: string) => T): Record<Category, T> => ({
      completed: make(statusesOf.completed),
      failed: make(statusesOf.failed),
    });
    this.findCutOff = statements((statuses) =>
      db.prepare<[number], CutOff>(
        `SELECT finished_at AS f, rowid AS r FROM jobs WHERE live = 0 AND status IN (${statuses})
          ORDER BY finished_at DESC, rowid DESC LIMIT 1 OFFSET ?`,
      ),
    );
    // SQLite orders NULL first: a finished job without a finish time counts as the oldest.
    this.deleteOlder = statements((statuses) =>
      db.prepare<[CutOff & { n: number }]>(
        `DELETE FROM jobs WHERE rowid IN (
           SELECT rowid FROM jobs WHERE live = 0 AND status IN (${statuses})
              AND (CASE WHEN @f IS NULL THEN finished_at IS NULL AND rowid < @r
                        ELSE finished_at IS NULL OR finished_at < @f OR (finished_at = @f AND rowid < @r) END)
            LIMIT @n)`,
      ),
    );
    this.deleteAll = statements((statuses) =>
      db.prepare<[{ n: number }]>(
        `DELETE FROM jobs WHERE rowid IN (SELECT rowid FROM jobs WHERE live = 0 AND status IN (${statuses}) LIMIT @n)`,
      ),
    );
    // Two ranges of the same index instead of a scan of `coalesce(...)` over every row.
    this.deleteExpired = db.prepare(
      `DELETE FROM jobs WHERE rowid IN (
         SELECT rowid FROM jobs WHERE live = 0 AND status IN (${finishedSql}) AND finished_at < @before
         UNION ALL
         SELECT rowid FROM jobs WHERE live = 0 AND status IN (${finishedSql}) AND finished_at IS NULL
            AND updated_at < @before
         LIMIT @n)`,
    );
  }

  /** Deletes at most one batch; answers how many rows went (a full batch: more may be left). */
  prune(options: PruneOptions): number {
    const batch = Math.max(1, options.batch ?? 1000);
    return this.db.transaction(() => {
      const cutOffs = (this.cutOffs ??= {
        completed: this.cutOffOf('completed', options.keepCompleted),
        failed: this.cutOffOf('failed', options.keepFailed),
      });
      let removed = this.deleteExpired.run({ before: options.expireBefore, n: batch }).changes;
      for (const category of ['completed', 'failed'] as const) {
        const left = batch - removed;
        if (left <= 0) break;
        const keep = category === 'completed' ? options.keepCompleted : options.keepFailed;
        const cutOff = cutOffs[category];
        if (keep <= 0) removed += this.deleteAll[category].run({ n: left }).changes;
        else if (cutOff) removed += this.deleteOlder[category].run({ ...cutOff, n: left }).changes;
      }
      if (removed === 0) this.cutOffs = null;
      return removed;
    })();
  }

  /** The oldest row the cap keeps, or null when the category is within its cap. */
  private cutOffOf(category: Category, keep: number): CutOff | null {
    if (keep <= 0) return null;
    return this.findCutOff[category].get(keep - 1) ?? null;
  }
}
