import type { Database, Statement } from 'better-sqlite3';
import { finishedStatuses } from '../../../src-common/contract';

/** A deleted download's partial file, kept for a retry that cannot come now. */
export interface LeftoverPart {
  dir: string;
  /** The download's resume state, as the jobs layer keeps it. */
  resumeState: Record<string, unknown>;
}

/**
 * What a DELETE of jobs hands back, one value a row: null for most, the folder and resume
 * state of a download that kept its partial file.
 */
export const leftoverReturning = `RETURNING CASE WHEN source = 'download' AND resume_state IS NOT NULL
  THEN json_object('dir', json_extract(data, '$.dir'), 'resumeState', json(resume_state)) END`;

/** The partial files among the values `leftoverReturning` gave. */
export function leftoverParts(values: readonly (string | null)[]): LeftoverPart[] {
  const parts: LeftoverPart[] = [];
  for (const value of values) {
    if (value === null) continue;
    const part = JSON.parse(value) as Partial<LeftoverPart>;
    if (typeof part.dir === 'string' && part.resumeState) parts.push(part as LeftoverPart);
  }
  return parts;
}

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
/** The finished statuses as an SQL list, from the contract's one list. */
export const finishedSql = finishedStatuses.map((status) => `'${status}'`).join(', ');

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
  private readonly deleteOlder: Record<Category, Statement<[CutOff & { n: number }], string | null>>;
  private readonly deleteAll: Record<Category, Statement<[{ n: number }], string | null>>;
  private readonly deleteExpired: Statement<[{ before: number; n: number }], string | null>;

  /** `onLeftovers`: the partial files of the downloads a call deleted, after its commit. */
  constructor(
    private readonly db: Database,
    private readonly onLeftovers: (parts: LeftoverPart[]) => void = () => undefined,
  ) {
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
      db
        .prepare<[CutOff & { n: number }], string | null>(
          `DELETE FROM jobs WHERE rowid IN (
           SELECT rowid FROM jobs WHERE live = 0 AND status IN (${statuses})
              AND (CASE WHEN @f IS NULL THEN finished_at IS NULL AND rowid < @r
                        ELSE finished_at IS NULL OR finished_at < @f OR (finished_at = @f AND rowid < @r) END)
            LIMIT @n) ${leftoverReturning}`,
        )
        .pluck(),
    );
    this.deleteAll = statements((statuses) =>
      db
        .prepare<[{ n: number }], string | null>(
          `DELETE FROM jobs WHERE rowid IN (SELECT rowid FROM jobs WHERE live = 0 AND status IN (${statuses}) LIMIT @n)
            ${leftoverReturning}`,
        )
        .pluck(),
    );
    // Two ranges of the same index instead of a scan of `coalesce(...)` over every row.
    this.deleteExpired = db
      .prepare<[{ before: number; n: number }], string | null>(
        `DELETE FROM jobs WHERE rowid IN (
         SELECT rowid FROM jobs WHERE live = 0 AND status IN (${finishedSql}) AND finished_at < @before
         UNION ALL
         SELECT rowid FROM jobs WHERE live = 0 AND status IN (${finishedSql}) AND finished_at IS NULL
            AND updated_at < @before
         LIMIT @n) ${leftoverReturning}`,
      )
      .pluck();
  }

  /** Deletes at most one batch; answers how many rows went (a full batch: more may be left). */
  prune(options: PruneOptions): number {
    const batch = Math.max(1, options.batch ?? 1000);
    const deleted = this.db.transaction(() => {
      const cutOffs = (this.cutOffs ??= {
        completed: this.cutOffOf('completed', options.keepCompleted),
        failed: this.cutOffOf('failed', options.keepFailed),
      });
      const values = this.deleteExpired.all({ before: options.expireBefore, n: batch });
      for (const category of ['completed', 'failed'] as const) {
        const left = batch - values.length;
        if (left <= 0) break;
        const keep = category === 'completed' ? options.keepCompleted : options.keepFailed;
        const cutOff = cutOffs[category];
        if (keep <= 0) values.push(...this.deleteAll[category].all({ n: left }));
        else if (cutOff) values.push(...this.deleteOlder[category].all({ ...cutOff, n: left }));
      }
      if (values.length === 0) this.cutOffs = null;
      return values;
    })();
    const parts = leftoverParts(deleted);
    if (parts.length > 0) this.onLeftovers(parts);
    return deleted.length;
  }

  /** The oldest row the cap keeps, or null when the category is within its cap. */
  private cutOffOf(category: Category, keep: number): CutOff | null {
    if (keep <= 0) return null;
    return this.findCutOff[category].get(keep - 1) ?? null;
  }
}
