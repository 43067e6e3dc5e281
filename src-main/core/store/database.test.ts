import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/temp-dir';
import { openDatabase, schemaVersion } from './database';
import { latestSchemaVersion } from './migrations';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

describe('database', () => {
  it('opens with WAL, NORMAL sync and foreign keys on', () => {
    const db = openDatabase({ file: join(dir.path, 'a.db') });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('migration 1 creates the settings table', () => {
    const db = openDatabase({ file: join(dir.path, 'a.db') });
    expect(schemaVersion(db)).toBe(latestSchemaVersion);
    db.prepare('insert into settings (key, value) values (?, ?)').run('theme', '"dark"');
    expect(db.prepare('select value from settings where key = ?').get('theme')).toEqual({ value: '"dark"' });
    db.close();
  });

  it('reopening runs no migration twice and keeps the data', () => {
    const file = join(dir.path, 'a.db');
    const first = openDatabase({ file });
    first.prepare('insert into settings (key, value) values (?, ?)').run('k', 'v');
    first.close();
    const second = openDatabase({ file });
    expect(second.prepare('select count(*) as n from settings').get()).toEqual({ n: 1 });
    second.close();
  });

  it('refuses a database written by a newer Haul, with a clear message', () => {
    const file = join(dir.path, 'newer.db');
    const raw = new BetterSqlite3(file);
    raw.pragma(`user_version = ${latestSchemaVersion + 5}`);
    raw.close();
    expect(() => openDatabase({ file })).toThrow(/newer version of Haul/);
  });
});
