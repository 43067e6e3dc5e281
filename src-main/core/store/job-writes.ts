import type { Database, Statement } from 'better-sqlite3';
import type { Job, JobStatus } from '../../../src-common/contract';
import { searchText } from './job-filter';
import type { StoredJob } from './stored-job';
import { sortName } from './sort-columns';

/** What a write binds: the job's columns, named as in the SQL. */
export interface WriteParams {
  id: string;
  source: Job['source'];
  status: JobStatus;
  type: string;
  search: string;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  idempotencyKey: string | null;
  priority: number;
  position: number;
  sortName: string;
  size: number | null;
  progress: number;
  live: number;
  notBefore: number | null;
  data: string;
  resumeState: string | null;
}

/** The columns an insert writes, in the order of `insertValues`. */
const insertColumns = `id, source, status, type, search, created_at, updated_at, started_at, finished_at,
  idempotency_key, priority, position, sort_name, size, progress, live, not_before, data, resume_state`;

export function insertValues(p: WriteParams): unknown[] {
  return [
    p.id,
    p.source,
    p.status,
    p.type,
    p.search,
    p.createdAt,
    p.updatedAt,
    p.startedAt,
    p.finishedAt,
    p.idempotencyKey,
    p.priority,
    p.position,
    p.sortName,
    p.size,
    p.progress,
    p.live,
    p.notBefore,
    p.data,
    p.resumeState,
  ];
}

/** Rows per INSERT statement: one statement and one trigger program for many rows. */
export const insertChunk = 60;

/**
 * The columns a save may change. SQLite rewrites the entry of every index over a column
 * an UPDATE sets, whatever its value: a save names only the columns that changed, so a
 * progress flush does not rewrite the status and queue indexes, nor a transition the
 * name, size and queue ones.
 */
const updatable = [
  ['status', 'status'],
  ['search', 'search'],
  ['updated_at', 'updatedAt'],
  ['started_at', 'startedAt'],
  ['finished_at', 'finishedAt'],
  ['priority', 'priority'],
  ['position', 'position'],
  ['sort_name', 'sortName'],
  ['size', 'size'],
  ['progress', 'progress'],
  ['live', 'live'],
  ['not_before', 'notBefore'],
  ['data', 'data'],
  ['resume_state', 'resumeState'],
] as const satisfies readonly (readonly [string, keyof WriteParams])[];

export const allColumns = (1 << updatable.length) - 1;

interface TextColumns {
  search: string;
  sortName: string;
}

/**
 * The columns made from a job's text, by job object. A job object is replaced, never
 * changed; a save computes the job it replaces again (to compare), and most changes keep
 * the text (a status, progress), so the columns are taken over from the job before. Each
 * costs a regular expression pass, and the name of a download not named yet a URL parse.
 */
const textColumnsOf = new WeakMap<Job, TextColumns>();

function sameText(a: Job, b: Job): boolean {
  if (a.source === 'download' && b.source === 'download')
    return a.url === b.url && a.fileName === b.fileName && a.finalUrl === b.finalUrl;
  if (a.source === 'plugin' && b.source === 'plugin')
    return a.label === b.label && a.pluginName === b.pluginName && a.actionId === b.actionId;
  if (a.source === 'task' && b.source === 'task')
    return a.name === b.name && a.description === b.description && a.creator === b.creator && a.type === b.type;
  return false;
}

function textColumns(job: Job, before?: Job): TextColumns {
  let text = textColumnsOf.get(job);
  if (text) return text;
  // The job before is compared with this one anyway: its columns are needed either way.
  const known = before && textColumns(before);
  text = known && sameText(job, before) ? known : { search: searchText(job), sortName: sortName(job) };
  textColumnsOf.set(job, text);
  return text;
}

/**
 * `withData` false: the JSON columns are left empty (a row compared, not written).
 * `before`: the job this one replaces, whose text columns it may share.
 */
export function writeParams(stored: StoredJob, withData = true, before?: StoredJob): WriteParams {
  const { job } = stored;
  const { status: _status, ...rest } = job;
  const text = textColumns(job, before?.job);
  return {
    id: job.id,
    source: job.source,
    status: job.status,
    type: job.source === 'download' ? 'download' : job.source === 'plugin' ? job.actionId : job.type,
    search: text.search,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    idempotencyKey: job.idempotencyKey,
    priority: job.source === 'download' ? job.priority : 0,
    position: stored.position,
    sortName: text.sortName,
    size: job.source === 'download' ? job.totalBytes : null,
    progress: job.progress,
    live: stored.live ? 1 : 0,
    notBefore: stored.notBefore,
    data: withData ? JSON.stringify(rest.source === 'download' ? { ...rest, position: undefined } : rest) : '',
    resumeState: withData && stored.resumeState !== null ? JSON.stringify(stored.resumeState) : null,
  };
}

/** The columns of `updatable` in which `stored` differs from `previous`, as SQLite holds it. */
export function changedColumns(stored: StoredJob, params: WriteParams, previous: StoredJob): number {
  const before = writeParams(previous, false);
  let columns = 0;
  updatable.forEach(([, key], bit) => {
    // The JSON is rewritten with every change; resume state is compared as the object it is.
    const same =
      key === 'data'
        ? false
        : key === 'resumeState'
          ? stored.resumeState === previous.resumeState
          : params[key] === before[key];
    if (!same) columns |= 1 << bit;
  });
  return columns;
}

/** INSERT statements by row count and UPDATE statements by the set of columns they write. */
export class WriteStatements {
  private readonly inserts = new Map<number, Statement<unknown[]>>();
  private readonly updates = new Map<number, Statement<[WriteParams]>>();

  constructor(private readonly db: Database) {}

  insert(rows: number): Statement<unknown[]> {
    let statement = this.inserts.get(rows);
    if (!statement) {
      const row = `(${insertColumns
        .split(',')
        .map(() => '?')
        .join(', ')})`;
      statement = this.db.prepare<unknown[]>(
        `INSERT INTO jobs (${insertColumns}) VALUES ${Array.from({ length: rows }, () => row).join(', ')}`,
      );
      // Two sizes are in use at a time at most (full chunks and the rest): keep those.
      if (this.inserts.size >= 4) this.inserts.clear();
      this.inserts.set(rows, statement);
    }
    return statement;
  }

  update(columns: number): Statement<[WriteParams]> {
    let statement = this.updates.get(columns);
    if (!statement) {
      const set = updatable.filter((_, bit) => columns & (1 << bit)).map(([column, key]) => `${column} = @${key}`);
      // A few dozen sets of columns occur (one per kind of change): each is prepared once.
      statement = this.db.prepare<[WriteParams]>(`UPDATE jobs SET ${set.join(', ') || 'id = id'} WHERE id = @id`);
      this.updates.set(columns, statement);
    }
    return statement;
  }
}
