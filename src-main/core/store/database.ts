import { existsSync, renameSync, rmSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { cannotSave, HaulError, isDamaged } from '../errors';
import { createPrivateFile, dataFolderTrouble } from './private-files';
import { latestSchemaVersion, migrations, type Migration } from './migrations';
import { salvageRows, type Salvage } from './salvage';

export interface OpenDatabaseOptions {
  /** Path of the database file, or `:memory:`. */
  file: string;
  /**
   * Path of a better_sqlite3.node built for the running runtime. The Electron app
   * passes its Electron-ABI build; plain Node uses the package's own build.
   */
  nativeBinding?: string;
  /** @default the project's migrations */
  migrations?: readonly Migration[];
}

export function openDatabase(options: OpenDatabaseOptions): Database {
  // SQLite gives -wal and -shm the mode of the main file: 0600 for all three.
  if (options.file !== ':memory:' && !options.file.startsWith('file:')) createPrivateFile(options.file);
  const db = new BetterSqlite3(options.file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // The page cache stays in memory once filled; better-sqlite3's build allows 16 MB per
    // connection, which one pass over a large history (pruning it) fills for good. The
    // indexed reads of the app touch far fewer pages. @default 4 MiB here
    db.pragma('cache_size = -4096');
    // A statement inside a transaction that fires a trigger (a job's status counted, its
    // text indexed) first copies each page it changes to a statement journal, so that it
    // can be undone alone. Past 64 KiB that journal went to a temporary file, created,
    // written and removed again for each grouped commit of completions, each submit of
    // many URLs: half of what such a transaction wrote. In memory it is freed as its
    // statement ends. Sorts and temporary tables too (the app's lists are read through
    // indexes, a page at a time). A completion's UPDATE: about 66 against 95 µs.
    db.pragma('temp_store = MEMORY');
    migrate(db, options.migrations ?? migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the schema up to the newest migration; refuses a database made by a newer Haul. */
export function migrate(db: Database, list: readonly Migration[] = migrations): void {
  const current = schemaVersion(db);
  const newest = list.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new HaulError(
      'conflict',
      `The database was written by a newer version of Haul (schema ${current}, this version knows ${newest}). ` +
        'Update Haul, or start it with another data folder.',
    );
  }
  for (const migration of list) {
    if (migration.version <= current) continue;
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
    // The pragma is ignored inside a transaction: set it around one.
    if (migration.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        migration.up(db);
        if (migration.rebuildsTables && (db.pragma('foreign_key_check') as unknown[]).length > 0) {
          throw new HaulError('internal', `Migration ${migration.version} left rows pointing at nothing.`);
        }
        db.pragma(`user_version = ${migration.version}`);
      })();
    } finally {
      if (migration.rebuildsTables) db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
    }
  }
}

export { latestSchemaVersion };

const unreadableCodes = new Set(['SQLITE_CANTOPEN_ISDIR']);

function isUnreadable(error: unknown): boolean {
  return isDamaged(error) || unreadableCodes.has((error as { code?: string }).code ?? '');
}

/**
 * Whether the last process to use `file` stopped without closing it: SQLite removes the
 * -wal file when the last connection closes cleanly, so one left behind means a crash,
 * a kill or a power cut, the cases in which a damaged file is worth looking for.
 */
export function closedUncleanly(file: string): boolean {
  return existsSync(`${file}-wal`);
}

const checkMark = (file: string) => `${file}-check`;

/**
 * Asks the next start to check every page of `file`: a read while running found one
 * damaged. Made once; a file that cannot be made leaves the damage to be found as before.
 */
export function markForCheck(file: string): void {
  try {
    if (!existsSync(checkMark(file))) createPrivateFile(checkMark(file));
  } catch {
    // The data folder refuses it too: nothing more can be done from here.
  }
}

class DamagedPages extends Error {
  readonly code = 'SQLITE_CORRUPT';
}

export interface OpenedDatabase {
  db: Database;
  /** Where a damaged file went, when it was moved aside. */
  movedAside: string | undefined;
  /** What was copied out of the damaged file into the fresh one. */
  salvage: Salvage | undefined;
}

/**
 * Opens the database; a corrupt or unreadable file is moved aside with a timestamp and a
 * fresh one is created with every row that could still be read from it, so a damaged file
 * never turns into a crash loop and costs only the rows on its damaged pages. The caller
 * tells the user where the old file went. `probe` makes the reads a start needs (the live
 * jobs, the settings): a damaged page among them is found here, not by the start. The full
 * page check (`quick_check`, about 2.4 s for 100,000 history rows) runs only after an
 * unclean stop.
 */
export function openOrRecoverDatabase(
  options: OpenDatabaseOptions & { now?: () => number; probe?: (db: Database) => void },
): OpenedDatabase {
  try {
    const marked = options.file !== ':memory:' && existsSync(checkMark(options.file));
    const suspect = marked || (options.file !== ':memory:' && closedUncleanly(options.file));
    const db = openDatabase(options);
    try {
      if (suspect && db.pragma('quick_check', { simple: true }) !== 'ok') throw new DamagedPages();
      options.probe?.(db);
      if (marked) rmSync(checkMark(options.file), { force: true });
      return { db, movedAside: undefined, salvage: undefined };
    } catch (error) {
      db.close();
      throw error;
    }
  } catch (error) {
    if (!isUnreadable(error)) throw cannotOpen(options.file, error) ?? error;
  }
  const stamp = new Date(options.now?.() ?? Date.now()).toISOString().replace(/[:.]/g, '-');
  const movedAside = `${options.file}.corrupt-${stamp}`;
  renameSync(options.file, movedAside);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(options.file + suffix)) renameSync(options.file + suffix, movedAside + suffix);
  }
  rmSync(checkMark(options.file), { force: true });
  const db = openDatabase(options);
  const salvage = salvageRows(db, movedAside, options.nativeBinding);
  try {
    options.probe?.(db);
    return { db, movedAside, salvage };
  } catch {
    // What was copied cannot be read back as a start reads it: a fresh, empty start.
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(options.file + suffix, { force: true });
    return { db: openDatabase(options), movedAside, salvage: { rows: {}, lost: true } };
  }
}

/**
 * Reads the pages a start reads, once before it (the probe of openOrRecoverDatabase): the
 * settings, the plugins' tables and the live jobs. The history, the logs and the library
 * are read when asked for.
 */
export function readStartPages(db: Database): void {
  const tables = ['settings', 'plugin_state', 'plugin_storage', 'plugin_registrations'];
  for (const sql of [...tables.map((t) => `SELECT * FROM ${t}`), 'SELECT * FROM jobs WHERE live = 1']) {
    for (const _row of db.prepare(sql).raw().iterate());
  }
}

/** What the user is told of a damaged database moved aside, and of what was saved from it. */
export function damagedDatabaseNotice(movedAside: string, salvage: Salvage | undefined): string {
  const jobs = salvage?.rows.jobs ?? 0;
  const what = `${jobs} job${jobs === 1 ? '' : 's'}`;
  const kept = salvage?.lost
    ? jobs > 0
      ? `copied into it what could still be read (${what}); the rest was on damaged pages`
      : 'nothing in the damaged file could be read'
    : `copied every row into it (${what})`;
  return `The job database was damaged and has been moved aside to ${movedAside}; Haul started with a fresh one and ${kept}.`;
}

/** An error opening the database that the user can fix, worded as such; null for others. */
function cannotOpen(file: string, error: unknown): HaulError | null {
  const trouble = dataFolderTrouble(error);
  if (trouble) return new HaulError('unavailable', `Haul cannot use its data folder ${dirname(file)}: ${trouble}.`);
  if (!cannotSave(error)) return null;
  const code = (error as { code?: unknown }).code;
  // A full disk says only "disk I/O error" as SQLite makes the -wal and -shm files: the
  // free space tells which.
  let full = code === 'SQLITE_FULL';
  try {
    full ||= statfsSync(dirname(file)).bavail === 0;
  } catch {
    // The folder cannot be looked at either: the disk's error stands.
  }
  const why = full
    ? 'the disk that holds it is full. Free some space'
    : 'the disk that holds it reported an error. Check it';
  return new HaulError('unavailable', `Haul cannot open its database ${file}: ${why} and start Haul again.`);
}
