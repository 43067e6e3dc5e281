import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/temp-dir';
import { openDatabase } from './database';
import { migrations } from './migrations';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

const schemaOf = (db: ReturnType<typeof openDatabase>) =>
  (
    db
      .prepare(
        `SELECT type, name FROM sqlite_schema WHERE tbl_name = 'jobs' AND type IN ('index', 'trigger') ORDER BY name`,
      )
      .all() as { type: string; name: string }[]
  ).map((r) => `${r.type}:${r.name}`);

describe('migration 11: tasks, the third job source', () => {
  it('accepts task jobs and keeps every row, log line, gid, index and trigger', () => {
    const file = join(dir.path, 'm9.db');
    const v10 = openDatabase({ file, migrations: migrations.filter((m) => m.version <= 10) });
    const before = schemaOf(v10);
    v10
      .prepare(
        `INSERT INTO jobs (id, source, status, type, search, created_at, updated_at, idempotency_key, data)
       VALUES ('aaaa0001', 'download', 'completed', 'download', 'https://x.example/kept-file.iso', 1, 1, 'k1', '{}')`,
      )
      .run();
    v10.prepare(`INSERT INTO job_logs (job_id, seq, at, line) VALUES ('aaaa0001', 1, 1, 'done')`).run();
    v10.prepare(`INSERT INTO aria2_gids (gid, job_id) VALUES ('0123456789abcdef', 'aaaa0001')`).run();
    v10.close();

    const db = openDatabase({ file, migrations: migrations.filter((m) => m.version <= 11) });
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaOf(db)).toEqual(before);
    expect(db.prepare(`SELECT count(*) AS n FROM job_logs`).get()).toEqual({ n: 1 });
    expect(db.prepare(`SELECT job_id FROM aria2_gids`).get()).toEqual({ job_id: 'aaaa0001' });
    // The text index still finds the old row by its rowid.
    const found = db
      .prepare(`SELECT j.id FROM jobs_search s JOIN jobs j ON j.rowid = s.rowid WHERE jobs_search MATCH ?`)
      .all('"kept-file"');
    expect(found).toEqual([{ id: 'aaaa0001' }]);
    db.prepare(
      `INSERT INTO jobs (id, source, status, type, search, created_at, updated_at, data)
       VALUES ('bbbbbbbbbbbbbbbb', 'task', 'running', 'backup', 'nightly backup', 2, 2, '{}')`,
    ).run();
    expect(
      db
        .prepare(`SELECT j.id FROM jobs_search s JOIN jobs j ON j.rowid = s.rowid WHERE jobs_search MATCH ?`)
        .all('"nightly"'),
    ).toEqual([{ id: 'bbbbbbbbbbbbbbbb' }]);
    expect(() =>
      db
        .prepare(
          `INSERT INTO jobs (id, source, status, type, search, created_at, updated_at, data) VALUES ('c', 'ftp', 'x', 't', '', 1, 1, '{}')`,
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO jobs (id, source, status, type, search, created_at, updated_at, idempotency_key, data) VALUES ('d', 'task', 'x', 't', '', 1, 1, 'k1', '{}')`,
        )
        .run(),
    ).toThrow(/UNIQUE/);
    // Deleting a job still takes its log and gid with it.
    db.prepare(`DELETE FROM jobs WHERE id = 'aaaa0001'`).run();
    expect(db.prepare(`SELECT count(*) AS n FROM job_logs`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT count(*) AS n FROM aria2_gids`).get()).toEqual({ n: 0 });
    db.close();
  });
});
