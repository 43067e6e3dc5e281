import type { Database } from 'better-sqlite3';
import { Job, type JobStatus, type ListInput } from '../../../src-common/contract';
import { HaulError } from '../errors';
import { finishedSql, leftoverParts, leftoverReturning, type LeftoverPart } from './history-pruner';
import { jobFilter, type JobFilter } from './job-filter';
import type { StoredJob } from './stored-job';
import { allColumns, changedColumns, insertChunk, insertValues, writeParams, WriteStatements } from './job-writes';

export type { StoredJob } from './stored-job';

/** Lines of log kept per job (job-management API). */
export const logLimit = 500;

interface Row {
  id: string;
  status: JobStatus;
  data: string;
  position: number;
  live: number;
  not_before: number | null;
  resume_state: string | null;
}

/** The columns a StoredJob is read from. */
const rowColumns = `id, status, data, position, live, not_before, resume_state`;

/** Every fixed statement, typed by what it binds and what its rows hold. */
function prepareStatements(db: Database) {
  return {
    resumeState: db.prepare<[string, string]>(`UPDATE jobs SET resume_state = ? WHERE id = ?`),
    indexPending: db.prepare<[]>(
      `INSERT INTO jobs_search (rowid, search)
       SELECT j.rowid, j.search FROM jobs_search_pending p JOIN jobs j ON j.rowid = p.job_rowid`,
    ),
    clearPending: db.prepare<[]>(`DELETE FROM jobs_search_pending`),
    get: db.prepare<[string], Row>(`SELECT ${rowColumns} FROM jobs WHERE id = ?`),
    live: db.prepare<[], Row>(`SELECT ${rowColumns} FROM jobs WHERE live = 1 ORDER BY created_at, id`),
    byKey: db.prepare<[string], Row>(`SELECT ${rowColumns} FROM jobs WHERE idempotency_key = ?`),
    // `key`, `key#2`…, `key#r1`…: '$' sorts right after '#', so the range is the family.
    byKeyFamily: db.prepare<[{ key: string }], Row>(
      `SELECT ${rowColumns} FROM jobs WHERE idempotency_key = @key OR (idempotency_key >= @key || '#' AND idempotency_key < @key || '$') ORDER BY position, created_at`,
    ),
    maxPosition: db.prepare<[], { p: number }>(
      `SELECT coalesce(max(position), 0) AS p FROM jobs WHERE source = 'download'`,
    ),
    appendLog: db.prepare<[{ id: string; at: number; line: string }], { seq: number }>(`
      INSERT INTO job_logs (job_id, seq, at, line)
      SELECT @id, coalesce(max(seq), 0) + 1, @at, @line FROM job_logs WHERE job_id = @id
      RETURNING seq`),
    trimLog: db.prepare<[string, number]>(`DELETE FROM job_logs WHERE job_id = ? AND seq <= ?`),
    readLog: db.prepare<[string], { line: string }>(`SELECT line FROM job_logs WHERE job_id = ? ORDER BY seq`),
    delete: db.prepare<[string]>(`DELETE FROM jobs WHERE id = ?`),
    // Kept by the jobs table's triggers (migration 14), not counted at each read.
    counts: db.prepare<[Job['source']], { status: JobStatus; n: number }>(
      `SELECT status, n FROM job_counts WHERE source = ? AND n > 0`,
    ),
    countsBySource: db.prepare<[], { source: Job['source']; status: JobStatus; n: number }>(
      `SELECT source, status, n FROM job_counts WHERE n > 0`,
    ),
  };
}

/** True when an insert failed only because its job id is taken: a new id will do. */
export function isIdClash(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

function parseRow(row: Row): StoredJob {
  let job: Job;
  try {
    const data = JSON.parse(row.data) as Record<string, unknown>;
    // The status and the queue position live in their columns only; the job shows them.
    data.status = row.status;
    if (data.source === 'download') data.position = row.position;
    job = Job.parse(data);
  } catch (error) {
    throw new HaulError('internal', `Job ${row.id} in the database is unreadable: ${(error as Error).message}`);
  }
  return {
    job,
    position: row.position,
    live: row.live === 1,
    notBefore: row.not_before,
    resumeState: row.resume_state === null ? null : (JSON.parse(row.resume_state) as Record<string, unknown>),
  };
}

const orderColumns = {
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
} as const;

/** All SQL about jobs and their logs. Callers own the transactions. */
export class JobStore {
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly writes: WriteStatements;

  constructor(private readonly db: Database) {
    this.statements = prepareStatements(db);
    this.writes = new WriteStatements(db);
  }

  /**
   * Adds the rows waiting in jobs_search_pending to the text index, in one statement
   * (one index segment for all of them; see migration 12). Returns how many.
   */
  indexPending(): number {
    return this.db.transaction(() => {
      const { changes } = this.statements.indexPending.run();
      if (changes > 0) this.statements.clearPending.run();
      return changes;
    })();
  }

  /** Adds a job. An id already taken fails with `SQLITE_CONSTRAINT_PRIMARYKEY` (see isIdClash). */
  insert(stored: StoredJob): void {
    this.writes.insert(1).run(insertValues(writeParams(stored)));
  }

  /**
   * Adds jobs, several rows per statement. When a statement fails (an id already taken),
   * nothing of it stays and its rows are inserted one by one through `insertOne`, which
   * may rename a job and try again. Callers own the transaction.
   */
  insertMany(entries: readonly StoredJob[], insertOne: (entry: StoredJob) => void = (e) => this.insert(e)): void {
    for (let from = 0; from < entries.length; from += insertChunk) {
      const chunk = entries.slice(from, from + insertChunk);
      if (chunk.length === 1) {
        insertOne(chunk[0]!);
        continue;
      }
      try {
        this.writes.insert(chunk.length).run(chunk.flatMap((entry) => insertValues(writeParams(entry))));
      } catch (error) {
        if (!isIdClash(error)) throw error;
        for (const entry of chunk) insertOne(entry);
      }
    }
  }

  /**
   * Writes a job. `previous`: the job as SQLite holds it now (what the caller last wrote
   * or read); then only the columns that differ from it are written. Without it, all.
   */
  save(stored: StoredJob, previous?: StoredJob): void {
    const same = previous && previous.job.id === stored.job.id ? previous : undefined;
    const params = writeParams(stored, true, same);
    const columns = same ? changedColumns(stored, params, same) : allColumns;
    const result = this.writes.update(columns).run(params);
    if (result.changes !== 1) throw new HaulError('not_found', `No job ${stored.job.id}`);
  }

  /** Only the engine's resume state, at once: a small write, no job row to serialise. */
  saveResumeState(id: string, resumeState: Record<string, unknown>): void {
    this.statements.resumeState.run(JSON.stringify(resumeState), id);
  }

  get(id: string): StoredJob | undefined {
    const row = this.statements.get.get(id);
    return row && parseRow(row);
  }

  /**
   * The live jobs, and why each row that could not be read was left out: one damaged row
   * must not keep Haul from starting with all the others. The row stays as it is.
   */
  loadLive(): { jobs: StoredJob[]; unreadable: string[] } {
    const jobs: StoredJob[] = [];
    const unreadable: string[] = [];
    for (const row of this.statements.live.all()) {
      try {
        jobs.push(parseRow(row));
      } catch (error) {
        unreadable.push((error as Error).message);
      }
    }
    return { jobs, unreadable };
  }

  byIdempotencyKey(key: string): StoredJob | undefined {
    const row = this.statements.byKey.get(key);
    return row && parseRow(row);
  }

  /** Every job one idempotent submit created, in the order it created them. */
  byIdempotencyFamily(key: string): StoredJob[] {
    return this.statements.byKeyFamily.all({ key }).map(parseRow);
  }

  nextPosition(): number {
    return (this.statements.maxPosition.get()?.p ?? 0) + 1;
  }

  appendLog(id: string, at: number, line: string): void {
    const seq = this.statements.appendLog.get({ id, at, line })?.seq ?? 0;
    if (seq > logLimit) this.statements.trimLog.run(id, seq - logLimit);
  }

  readLog(id: string): string[] {
    return this.statements.readLog.all(id).map((r) => r.line);
  }

  delete(id: string): boolean {
    return this.statements.delete.run(id).changes === 1;
  }

  counts(source: Job['source']): Partial<Record<JobStatus, number>> {
    const counts: Partial<Record<JobStatus, number>> = {};
    for (const row of this.statements.counts.all(source)) counts[row.status] = row.n;
    return counts;
  }

  /** The counts of every source, in one read. */
  countsBySource(): Record<Job['source'], Partial<Record<JobStatus, number>>> {
    const counts: Record<Job['source'], Partial<Record<JobStatus, number>>> = { download: {}, plugin: {}, task: {} };
    for (const row of this.statements.countsBySource.all()) counts[row.source][row.status] = row.n;
    return counts;
  }

  list(filter: ListInput): { jobs: StoredJob[]; total: number } {
    const statuses = (filter.status ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean) as JobStatus[];
    const order = filter.order ?? '-createdAt';
    const direction = order.startsWith('-') ? 'DESC' : 'ASC';
    const column = orderColumns[order.replace(/^-/, '') as keyof typeof orderColumns];
    return this.page(
      jobFilter({ statuses, source: filter.source, type: filter.type, creator: filter.creator, text: filter.text }),
      `${column} ${direction}, rowid ${direction}`,
      filter.limit ?? 100,
      filter.offset ?? 0,
    );
  }

  /**
   * One page of the jobs `filter` keeps, in `order` (SQL, ending in a unique key so pages
   * never overlap), and how many it keeps in all.
   */
  page(filter: JobFilter, order: string, limit: number, offset: number): { jobs: StoredJob[]; total: number } {
    const { clause, params } = filter;
    if (filter.usesTextIndex) this.indexPending();
    const total =
      this.db.prepare<[typeof params], { n: number }>(`SELECT count(*) AS n FROM jobs ${clause}`).get(params)?.n ?? 0;
    if (limit === 0) return { jobs: [], total };
    // Page through the ordering index first, then read the whole rows of the page: reading
    // the JSON of every skipped row would cost more than the query itself.
    const ids = this.db
      .prepare<[typeof params & { limit: number; offset: number }], { r: number }>(
        `SELECT rowid AS r FROM jobs ${clause} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit, offset });
    if (ids.length === 0) return { jobs: [], total };
    const byRowid = new Map(
      this.db
        .prepare<number[], Row & { r: number }>(
          `SELECT rowid AS r, ${rowColumns} FROM jobs WHERE rowid IN (${ids.map(() => '?').join(',')})`,
        )
        .all(...ids.map((i) => i.r))
        .map((row) => [row.r, row]),
    );
    const rows = ids.flatMap((i) => byRowid.get(i.r) ?? []);
    return { jobs: rows.map(parseRow), total };
  }

  /**
   * Deletes finished jobs older than `before`; active and paused jobs are never touched.
   * Answers how many went, and the partial files the deleted downloads had kept.
   */
  deleteFinishedBefore(before: number): { removed: number; leftovers: LeftoverPart[] } {
    const values = this.db
      .prepare<[number], string | null>(
        `DELETE FROM jobs WHERE status IN (${finishedSql}) AND coalesce(finished_at, updated_at) < ?
          ${leftoverReturning}`,
      )
      .pluck()
      .all(before);
    return { removed: values.length, leftovers: leftoverParts(values) };
  }

  /** Deletes the finished tasks a plugin created that finished before `before`. */
  deleteFinishedTasksOf(pluginName: string, before: number): number {
    return this.db
      .prepare(
        `DELETE FROM jobs WHERE source = 'task' AND status IN (${finishedSql})
            AND coalesce(finished_at, updated_at) < ?
            AND json_extract(data, '$.createdBy') = 'plugin' AND json_extract(data, '$.creator') = ?`,
      )
      .run(before, pluginName).changes;
  }
}
