import BetterSqlite3, { type Database } from 'better-sqlite3';
import { isDamaged } from '../errors';

/** What a salvage copied, by table; `lost` when some rows could not be read. */
export interface Salvage {
  rows: Record<string, number>;
  lost: boolean;
}

/** Rows read and written at a time. */
const batchSize = 500;
/** Failed reads in a row before a table's walk gives up: the last jump spans 2^40 rowids. */
const maxJumps = 40;

/**
 * Copies into `fresh` (a new database at the newest schema) every row of `damagedFile`
 * that can still be read, so a damaged page costs the rows on it and not the whole job
 * list. Only a file of the same schema version is read (its columns are the fresh ones).
 * The text index is left out: it is rebuilt from the jobs. Rows whose parent row was lost
 * (a log line of a job that was not read) are refused by their foreign key and dropped.
 */
export function salvageRows(fresh: Database, damagedFile: string, nativeBinding?: string): Salvage {
  const salvage: Salvage = { rows: {}, lost: false };
  let damaged: Database;
  try {
    damaged = new BetterSqlite3(damagedFile, {
      readonly: true,
      fileMustExist: true,
      ...(nativeBinding ? { nativeBinding } : {}),
    });
  } catch {
    return { rows: {}, lost: true };
  }
  try {
    const version = (db: Database) => db.pragma('user_version', { simple: true }) as number;
    if (version(damaged) !== version(fresh)) return { rows: {}, lost: true };
    for (const table of tablesToCopy(fresh)) {
      const copied = copyTable(damaged, fresh, table);
      salvage.rows[table.name] = copied.rows;
      salvage.lost ||= copied.lost;
    }
  } catch (error) {
    if (!isDamaged(error)) throw error;
    salvage.lost = true;
  } finally {
    damaged.close();
  }
  return salvage;
}

interface Table {
  name: string;
  columns: string[];
  withRowid: boolean;
}

/**
 * The fresh schema's tables, parents first (jobs before what refers to them), without
 * those the jobs' triggers fill as the jobs are copied: the text index's and the counts.
 */
function tablesToCopy(db: Database): Table[] {
  const names = db
    .prepare<[], { name: string; sql: string }>(
      `SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         AND name NOT LIKE 'jobs_search%' AND name != 'job_counts'`,
    )
    .all();
  return names
    .map(({ name, sql }) => ({
      name,
      columns: db
        .prepare<[string], { name: string; hidden: number }>(`SELECT name, hidden FROM pragma_table_xinfo(?)`)
        .all(name)
        .filter((c) => c.hidden === 0)
        .map((c) => c.name),
      withRowid: !/WITHOUT\s+ROWID/i.test(sql),
    }))
    .sort((a, b) => Number(b.name === 'jobs') - Number(a.name === 'jobs'));
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

function copyTable(from: Database, to: Database, table: Table): { rows: number; lost: boolean } {
  const columns = table.withRowid ? ['rowid', ...table.columns] : table.columns;
  const list = columns.map(quoted).join(', ');
  const insert = to.prepare(
    `INSERT OR REPLACE INTO ${quoted(table.name)} (${list}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  let rows = 0;
  const write = to.transaction((batch: unknown[][]) => {
    for (const values of batch) {
      try {
        insert.run(values);
        rows += 1;
      } catch {
        // A row its constraints refuse (its parent was lost): dropped alone.
      }
    }
  });
  const lost = table.withRowid
    ? walkByRowid(from, table.name, list, write)
    : walkAll(from, `SELECT ${list} FROM ${quoted(table.name)}`, write);
  return { rows, lost };
}

/** Reads a table without rowids in one pass, as far as its pages allow. */
function walkAll(from: Database, sql: string, write: (batch: unknown[][]) => void): boolean {
  let batch: unknown[][] = [];
  try {
    for (const values of from.prepare(sql).raw().iterate() as Iterable<unknown[]>) {
      batch.push(values);
      if (batch.length === batchSize) {
        write(batch);
        batch = [];
      }
    }
    return false;
  } catch (error) {
    if (!isDamaged(error)) throw error;
    return true;
  } finally {
    write(batch);
  }
}

/**
 * Reads a rowid table in rowid order; where a page cannot be read, jumps ahead, twice as
 * far at each failure, until the rows after it can be, and goes on from there.
 */
function walkByRowid(from: Database, name: string, list: string, write: (batch: unknown[][]) => void): boolean {
  const next = from.prepare(`SELECT ${list} FROM ${quoted(name)} WHERE rowid > ? ORDER BY rowid LIMIT ${batchSize}`);
  next.raw();
  let after = Number.MIN_SAFE_INTEGER;
  let jump = 1;
  let jumps = 0;
  let lost = false;
  for (;;) {
    const batch: unknown[][] = [];
    let failed = false;
    try {
      for (const values of next.iterate(after) as Iterable<unknown[]>) batch.push(values);
    } catch (error) {
      if (!isDamaged(error)) throw error;
      failed = true;
    }
    write(batch);
    if (batch.length > 0) after = batch.at(-1)![0] as number;
    if (!failed) {
      if (batch.length < batchSize) return lost;
      jump = 1;
      jumps = 0;
      continue;
    }
    lost = true;
    if (batch.length > 0) continue;
    if (++jumps > maxJumps) return lost;
    after = Math.max(after, 0) + jump;
    jump *= 2;
  }
}
