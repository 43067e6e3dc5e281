import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadJob } from '../../test/job-fixtures';
import { tempDir } from '../../test/temp-dir';
import { openDatabase } from './database';
import { JobStore } from './job-store';
import { insertValues, writeParams, WriteStatements } from './job-writes';
import { migrations } from './migrations';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

const indexesOf = (db: ReturnType<typeof openDatabase>) =>
  db.prepare(`SELECT name FROM sqlite_schema WHERE tbl_name = 'jobs' AND type = 'index'`).pluck().all() as string[];

describe('migration 13: jobs_live dropped', () => {
  it('drops jobs_live only, and the live list still reads every live job and no other', () => {
    const file = join(dir.path, 'm13.db');
    const v12 = openDatabase({ file, migrations: migrations.filter((m) => m.version <= 12) });
    const before = indexesOf(v12);
    // The rows as the job store of that schema wrote them (today's reads need later tables).
    const writes12 = new WriteStatements(v12);
    const add = (id: string, live: boolean, status: 'pending' | 'completed', createdAt: number) =>
      writes12.insert(1).run(
        insertValues(
          writeParams({
            job: downloadJob({ id, status, createdAt, url: `https://a.example/${id}.iso` }),
            position: createdAt,
            live,
            notBefore: null,
            resumeState: null,
          }),
        ),
      );
    add('aaaa0003', true, 'pending', 3);
    add('aaaa0001', true, 'completed', 1);
    add('aaaa0002', false, 'completed', 2);
    v12.close();

    const db = openDatabase({ file });
    expect(indexesOf(db).sort()).toEqual(before.filter((name) => name !== 'jobs_live').sort());
    expect(before).toContain('jobs_live');
    expect(new JobStore(db).loadLive().jobs.map((s) => s.job.id)).toEqual(['aaaa0001', 'aaaa0003']);
    db.close();
  });

  it('reads the live list through jobs_retention, not a scan of every row', () => {
    const db = openDatabase({ file: join(dir.path, 'a.db') });
    // The statement of JobStore.loadLive.
    const plan = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT id, status, data, position, live, not_before, resume_state FROM jobs WHERE live = 1 ORDER BY created_at, id`,
        )
        .all() as { detail: string }[]
    ).map((row) => row.detail);
    expect(plan.some((detail) => /USING INDEX jobs_retention \(live=\?\)/.test(detail))).toBe(true);
    expect(plan.some((detail) => /^SCAN jobs\b/.test(detail))).toBe(false);
    db.close();
  });
});
