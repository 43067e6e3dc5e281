import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadJob } from '../../test/job-fixtures';
import { tempDir } from '../../test/temp-dir';
import { closedUncleanly, damagedDatabaseNotice, openDatabase, openOrRecoverDatabase, schemaVersion } from './database';
import { JobStore } from './job-store';
import { latestSchemaVersion, migrations } from './migrations';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

describe('database', () => {
  it('opens with WAL, NORMAL sync, foreign keys on, a 4 MiB page cache and temporary storage in memory', () => {
    const db = openDatabase({ file: join(dir.path, 'a.db') });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('cache_size', { simple: true })).toBe(-4096);
    expect(db.pragma('temp_store', { simple: true })).toBe(2);
    db.close();
  });

  // The bytes this thread has written (Linux): SQLite writes from the thread that runs the statement.
  const threadIo = '/proc/thread-self/io';
  const writtenByThread = () => Number(/^wchar: (\d+)$/mu.exec(readFileSync(threadIo, 'utf8'))?.[1]);

  it.skipIf(!existsSync(threadIo))(
    'keeps a statement journal in memory: a transaction writes its WAL and nothing else',
    () => {
      const file = join(dir.path, 'a.db');
      const db = openDatabase({ file, migrations: [] });
      db.exec(`
        CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL);
        CREATE TABLE counted (n INTEGER NOT NULL);
        INSERT INTO counted VALUES (0);
        CREATE TRIGGER t_counted AFTER UPDATE ON t BEGIN UPDATE counted SET n = n + 1; END;
      `);
      const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
      db.transaction(() => {
        for (let i = 0; i < 2000; i += 1) insert.run('x'.repeat(200));
      })();
      db.pragma('wal_checkpoint(TRUNCATE)');
      const before = writtenByThread();
      // Two statements, the first firing a trigger on every row it changes (over 100 pages):
      // its journal, in a file, would have been as large as what it adds to the WAL.
      db.transaction(() => {
        db.prepare('UPDATE t SET v = upper(v)').run();
        db.prepare('UPDATE counted SET n = 0').run();
      })();
      const written = writtenByThread() - before;
      const wal = statSync(`${file}-wal`).size;
      expect(wal).toBeGreaterThan(100 * 4096);
      // With the journal in a file, twice the WAL (measured: 883,672 bytes against 440,872).
      expect(written).toBeLessThan(wal * 1.1);
      db.close();
    },
  );

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

describe('migration 2: jobs', () => {
  it('creates jobs and job_logs, with logs deleted along with their job', () => {
    const db = openDatabase({ file: join(dir.path, 'm2.db') });
    const columns = (db.prepare(`SELECT name FROM pragma_table_info('jobs')`).all() as { name: string }[]).map(
      (c) => c.name,
    );
    expect(columns).toEqual(
      expect.arrayContaining(['id', 'source', 'status', 'data', 'resume_state', 'live', 'not_before']),
    );
    db.prepare(
      `INSERT INTO jobs (id, source, status, type, search, created_at, updated_at, data) VALUES ('a', 'download', 'pending', 'download', '', 1, 1, '{}')`,
    ).run();
    db.prepare(`INSERT INTO job_logs (job_id, seq, at, line) VALUES ('a', 1, 1, 'hi')`).run();
    db.prepare(`DELETE FROM jobs WHERE id = 'a'`).run();
    expect(db.prepare('SELECT count(*) AS n FROM job_logs').get()).toEqual({ n: 0 });
    expect(() =>
      db
        .prepare(
          `INSERT INTO jobs (id, source, status, type, search, created_at, updated_at, data) VALUES ('b', 'ftp', 'x', 't', '', 1, 1, '{}')`,
        )
        .run(),
    ).toThrow(/CHECK/);
    db.close();
  });

  it('upgrades a version 1 database in place, keeping its settings', () => {
    const file = join(dir.path, 'v1.db');
    const v1 = openDatabase({ file, migrations: migrations.slice(0, 1) });
    v1.prepare(`INSERT INTO settings (key, value) VALUES ('theme', '"dark"')`).run();
    v1.close();
    const db = openDatabase({ file });
    expect(schemaVersion(db)).toBe(latestSchemaVersion);
    expect(db.prepare('SELECT value FROM settings').get()).toEqual({ value: '"dark"' });
    db.close();
  });
});

describe('a database its disk cannot take more of', () => {
  it('refuses to open with what to do, and leaves the file where it is', () => {
    const file = join(dir.path, 'full.db');
    openDatabase({ file }).close();
    // SQLite's own page cap stands in for a full disk: the migration's writes get SQLITE_FULL.
    const filling = {
      version: latestSchemaVersion + 1,
      name: 'fills the disk',
      up(db: BetterSqlite3.Database) {
        db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
        db.exec('CREATE TABLE filler (bytes BLOB); INSERT INTO filler VALUES (randomblob(1000000))');
      },
    };
    expect(() => openOrRecoverDatabase({ file, migrations: [...migrations, filling] })).toThrow(
      `Haul cannot open its database ${file}: the disk that holds it is full. Free some space and start Haul again.`,
    );
    const db = openDatabase({ file });
    expect(schemaVersion(db)).toBe(latestSchemaVersion);
    db.close();
  });
});

describe('a damaged database file', () => {
  it('is moved aside with a timestamp and replaced by a fresh one', () => {
    const file = join(dir.path, 'broken.db');
    writeFileSync(file, 'this is not a database, just text that happens to be long enough '.repeat(100));
    const { db, movedAside } = openOrRecoverDatabase({ file, now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });
    expect(movedAside).toBe(`${file}.corrupt-2026-01-02T03-04-05-000Z`);
    expect(readFileSync(movedAside!, 'utf8')).toContain('not a database');
    expect(schemaVersion(db)).toBe(latestSchemaVersion);
    db.close();
  });

  it('after an unclean stop (a -wal file left behind), a damaged page is found and the file moved aside', () => {
    const file = join(dir.path, 'crashed.db');
    const db = openDatabase({ file });
    const store = new JobStore(db);
    db.transaction(() => {
      for (let i = 0; i < 500; i += 1) {
        const job = downloadJob({ id: i.toString(16).padStart(8, '0'), url: `https://x.example/${i}` });
        store.insert({ job, position: i, live: false, notBefore: null, resumeState: null });
      }
    })();
    db.close();
    const pageSize = 4096;
    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThan(20 * pageSize);
    // Page 10 becomes garbage, as a torn write in a power cut would leave it.
    bytes.fill(0xff, 9 * pageSize, 10 * pageSize);
    writeFileSync(file, bytes);
    writeFileSync(`${file}-wal`, '');
    expect(closedUncleanly(file)).toBe(true);
    const { db: fresh, movedAside, salvage } = openOrRecoverDatabase({ file });
    expect(movedAside).toMatch(/crashed\.db\.corrupt-/);
    // Every job the damaged page did not hold was copied into the fresh file (here the page
    // is one of an index's, rebuilt from the table: none was lost).
    const kept = new JobStore(fresh).list({ limit: 1 }).total;
    expect(kept).toBeGreaterThan(400);
    expect(salvage).toMatchObject({ rows: { jobs: kept }, lost: kept < 500 });
    fresh.close();
  });

  it('a damaged page that a start reads is found by its probe after a clean stop, and the rest is kept', () => {
    const file = join(dir.path, 'clean-damaged.db');
    const db = openDatabase({ file });
    const store = new JobStore(db);
    db.prepare(`INSERT INTO settings (key, value) VALUES ('maxConcurrentDownloads', '2')`).run();
    db.transaction(() => {
      for (let i = 0; i < 300; i += 1) {
        const job = downloadJob({ id: i.toString(16).padStart(8, '0'), url: `https://x.example/${i}` });
        store.insert({ job, position: i, live: true, notBefore: null, resumeState: null });
        store.appendLog(job.id, 1, `line of ${job.id}`);
      }
    })();
    db.close();
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 40 * 4096, 42 * 4096);
    writeFileSync(file, bytes);
    expect(closedUncleanly(file)).toBe(false);
    const probe = (opened: BetterSqlite3.Database) => {
      for (const _row of opened.prepare('SELECT * FROM jobs WHERE live = 1').raw().iterate());
    };
    // Without a probe the file opens, and the damage waits for the first read of those pages.
    const unprobed = openOrRecoverDatabase({ file });
    expect(unprobed.movedAside).toBeUndefined();
    expect(() => new JobStore(unprobed.db).loadLive()).toThrow(/malformed/);
    unprobed.db.close();

    const { db: fresh, movedAside, salvage } = openOrRecoverDatabase({ file, probe });
    expect(movedAside).toMatch(/clean-damaged\.db\.corrupt-/);
    const { jobs: live, unreadable } = new JobStore(fresh).loadLive();
    expect(unreadable).toEqual([]);
    expect(live.length).toBeGreaterThan(250);
    expect(live.length).toBeLessThan(300);
    expect(salvage?.rows.jobs).toBe(live.length);
    expect(fresh.prepare(`SELECT value FROM settings WHERE key = 'maxConcurrentDownloads'`).pluck().get()).toBe('2');
    // A copied job keeps its log; a log line whose job was lost went with it.
    const logged = fresh.prepare('SELECT count(DISTINCT job_id) FROM job_logs').pluck().get() as number;
    expect(logged).toBeGreaterThan(0);
    expect(fresh.prepare('SELECT count(*) FROM job_logs WHERE job_id NOT IN (SELECT id FROM jobs)').pluck().get()).toBe(
      0,
    );
    // The copied jobs are found by a text search: the index is rebuilt from them.
    const store2 = new JobStore(fresh);
    expect(store2.list({ text: 'x.example/12', limit: 5 }).total).toBeGreaterThan(0);
    fresh.close();
    expect(damagedDatabaseNotice(movedAside!, salvage)).toBe(
      `The job database was damaged and has been moved aside to ${movedAside}; Haul started with a fresh one and copied into it what could still be read (${live.length} jobs); the rest was on damaged pages.`,
    );
  });

  it('a cleanly closed file leaves no -wal behind, so its pages are not scanned at start', () => {
    const file = join(dir.path, 'clean.db');
    openDatabase({ file }).close();
    expect(closedUncleanly(file)).toBe(false);
  });

  it('a healthy file is left alone', () => {
    const file = join(dir.path, 'ok.db');
    openDatabase({ file }).close();
    const { db, movedAside } = openOrRecoverDatabase({ file });
    expect(movedAside).toBeUndefined();
    db.close();
  });
});

describe('migration 3: job list indexes', () => {
  it('lets a filtered, ordered list page walk an index instead of sorting', () => {
    const db = openDatabase({ file: join(dir.path, 'm3.db') });
    const plan = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT rowid FROM jobs WHERE status IN ('completed', 'failed')
            ORDER BY finished_at DESC, rowid DESC LIMIT 50 OFFSET 5000`,
        )
        .all() as { detail: string }[]
    ).map((r) => r.detail);
    expect(plan.join('\n')).toContain('jobs_order_finished');
    // Only ties on the time are sorted (LAST TERM), never every matching row.
    expect(plan.join('\n')).not.toContain('TEMP B-TREE FOR ORDER BY');
    const position = (
      db.prepare(`EXPLAIN QUERY PLAN SELECT max(position) FROM jobs WHERE source = 'download'`).all() as {
        detail: string;
      }[]
    ).map((r) => r.detail);
    expect(position.join('\n')).toContain('jobs_position');
    db.close();
  });
});

describe('migration 4: library resources', () => {
  it('creates the resources table with generated ids', () => {
    const db = openDatabase({ file: join(dir.path, 'm4.db') });
    const insert = db.prepare(
      `INSERT INTO resources (path, name, size, created_at, search) VALUES ('/d/a', 'a', 1, 1, 'a')`,
    );
    expect(Number(insert.run().lastInsertRowid)).toBe(1);
    expect(Number(insert.run().lastInsertRowid)).toBe(2);
    db.close();
  });
});

describe('migration 5: plugin state and storage', () => {
  it('keeps one state row per plugin and one storage value per plugin and key', () => {
    const db = openDatabase({ file: join(dir.path, 'm5.db') });
    db.prepare(`INSERT INTO plugin_state (name, enabled, updated_at) VALUES ('checksum', 0, 1)`).run();
    expect(db.prepare(`SELECT settings FROM plugin_state WHERE name = 'checksum'`).get()).toEqual({ settings: '{}' });
    const put = db.prepare(`INSERT INTO plugin_storage (plugin, key, value) VALUES (?, ?, ?)`);
    put.run('a', 'k', '1');
    put.run('b', 'k', '2');
    expect(() => put.run('a', 'k', '3')).toThrow(/UNIQUE|PRIMARY KEY/);
    db.close();
  });
});

describe('migration 6: job text search index', () => {
  it('indexes existing jobs and follows inserts, changes and deletes', () => {
    const file = join(dir.path, 'm6.db');
    const v5 = openDatabase({ file, migrations: migrations.filter((m) => m.version <= 5) });
    const insert = (id: string, search: string) =>
      v5
        .prepare(
          `INSERT INTO jobs (id, source, status, type, search, created_at, updated_at, data) VALUES (?, 'download', 'pending', 'download', ?, 1, 1, '{}')`,
        )
        .run(id, search);
    insert('a', 'https://files.example/before-upgrade.zip');
    v5.close();
    // Up to the migration that made the index fed in batches (see migration 12's test).
    const db = openDatabase({ file, migrations: migrations.filter((m) => m.version <= 11) });
    const find = (text: string) =>
      (
        db
          .prepare(`SELECT j.id FROM jobs_search s JOIN jobs j ON j.rowid = s.rowid WHERE jobs_search MATCH ?`)
          .all(`"${text}"`) as { id: string }[]
      ).map((r) => r.id);
    expect(find('upgrade')).toEqual(['a']);
    db.prepare(
      `INSERT INTO jobs (id, source, status, type, search, created_at, updated_at, data) VALUES ('b', 'download', 'pending', 'download', 'https://x.example/new-file.iso', 1, 1, '{}')`,
    ).run();
    expect(find('new-file')).toEqual(['b']);
    db.prepare(`UPDATE jobs SET search = 'https://x.example/renamed.iso' WHERE id = 'b'`).run();
    expect(find('new-file')).toEqual([]);
    expect(find('renamed')).toEqual(['b']);
    db.prepare(`DELETE FROM jobs WHERE id = 'a'`).run();
    expect(find('upgrade')).toEqual([]);
    db.close();
  });
});

describe('migration 12: the text index fed in batches', () => {
  it('keeps indexed rows in step at once and new or changed ones until the next text search', () => {
    const file = join(dir.path, 'm12.db');
    const v11 = openDatabase({ file, migrations: migrations.filter((m) => m.version <= 11) });
    const raw = (db: typeof v11, id: string, search: string) =>
      db
        .prepare(
          `INSERT INTO jobs (id, source, status, type, search, created_at, updated_at, data) VALUES (?, 'download', 'pending', 'download', ?, 1, 1, ?)`,
        )
        .run(id, search, JSON.stringify(downloadJob({ id })));
    raw(v11, 'a', 'https://a.example/indexed-before.iso');
    raw(v11, 'b', 'https://a.example/second-before.iso');
    v11.close();
    const db = openDatabase({ file });
    const store = new JobStore(db);
    const indexed = (text: string) =>
      db.prepare(`SELECT rowid FROM jobs_search WHERE jobs_search MATCH ?`).pluck().all(`"${text}"`).length;
    const found = (text: string) => store.list({ text }).jobs.map((s) => s.job.id);
    const check = () => db.prepare(`INSERT INTO jobs_search (jobs_search) VALUES ('integrity-check')`).run();

    raw(db, 'c', 'https://a.example/added-after.iso');
    raw(db, 'd', 'https://a.example/gone-soon.iso');
    expect(indexed('added-after')).toBe(0);
    // Rows indexed before: changed and deleted in the index at once.
    db.prepare(`UPDATE jobs SET search = 'https://a.example/renamed.iso' WHERE id = 'a'`).run();
    db.prepare(`DELETE FROM jobs WHERE id = 'b'`).run();
    expect(indexed('indexed-before') + indexed('second-before')).toBe(0);
    // Rows waiting: changed and deleted without touching the index.
    db.prepare(`UPDATE jobs SET search = 'https://a.example/added-renamed.iso' WHERE id = 'c'`).run();
    db.prepare(`DELETE FROM jobs WHERE id = 'd'`).run();
    check();
    expect(db.prepare(`SELECT count(*) FROM jobs_search_pending`).pluck().get()).toBe(2);
    expect(found('renamed')).toEqual(expect.arrayContaining(['a', 'c']));
    expect(found('added-after')).toEqual([]);
    expect(found('gone-soon')).toEqual([]);
    expect(db.prepare(`SELECT count(*) FROM jobs_search_pending`).pluck().get()).toBe(0);
    check();
    db.prepare(`UPDATE jobs SET search = 'https://a.example/third.iso' WHERE id = 'c'`).run();
    expect(found('third')).toEqual(['c']);
    expect(found('added-renamed')).toEqual([]);
    db.prepare(`DELETE FROM jobs WHERE id = 'c'`).run();
    check();
    expect(found('third')).toEqual([]);
    expect(store.indexPending()).toBe(0);
    db.close();
  });
});

describe('migration 8: status and position in their columns only', () => {
  it('drops the copies from the JSON; the job still reads the column values', () => {
    const file = join(dir.path, 'm8.db');
    const v7 = openDatabase({ file, migrations: migrations.filter((m) => m.version <= 7) });
    const job = downloadJob({ id: 'aaaa0001', status: 'paused', position: 4 });
    v7.prepare(
      `INSERT INTO jobs (id, source, status, type, search, created_at, updated_at, position, data)
       VALUES (?, 'download', 'paused', 'download', '', 1, 1, 4, ?)`,
    ).run(job.id, JSON.stringify({ ...job, status: 'downloading', position: 9 }));
    v7.close();
    const db = openDatabase({ file });
    const data = JSON.parse(
      db.prepare<[string], { data: string }>(`SELECT data FROM jobs WHERE id = ?`).get(job.id)!.data,
    ) as Record<string, unknown>;
    expect('status' in data || 'position' in data).toBe(false);
    expect(new JobStore(db).get(job.id)?.job).toMatchObject({ status: 'paused', position: 4 });
    db.close();
  });
});

describe('migration 9: the Downloads table sort columns', () => {
  it('fills name, size and progress from each job, so older jobs sort like new ones', () => {
    const file = join(dir.path, 'm9.db');
    const v8 = openDatabase({ file, migrations: migrations.filter((m) => m.version <= 8) });
    const insert = v8.prepare(
      `INSERT INTO jobs (id, source, status, type, search, created_at, updated_at, position, data)
       VALUES (?, 'download', 'completed', 'download', '', 1, 1, 1, ?)`,
    );
    const {
      status: _s,
      position: _p,
      ...big
    } = downloadJob({ id: 'aaaa0001', fileName: 'Disk10.iso', totalBytes: 900 });
    const {
      status: _s2,
      position: _p2,
      ...small
    } = downloadJob({
      id: 'aaaa0002',
      fileName: null,
      url: 'https://a.example/disk9.iso',
      totalBytes: 5,
      progress: 40,
    });
    insert.run(big.id, JSON.stringify(big));
    insert.run(small.id, JSON.stringify(small));
    insert.run('aaaa0003', '{"not":"a job"}');
    v8.close();
    const db = openDatabase({ file });
    const rows = db
      .prepare<[], { id: string; sort_name: string; size: number | null; progress: number }>(
        `SELECT id, sort_name, size, progress FROM jobs ORDER BY sort_name, id`,
      )
      .all();
    expect(rows.map((r) => [r.id, r.size, r.progress])).toEqual([
      ['aaaa0003', null, 0],
      ['aaaa0002', 5, 40],
      ['aaaa0001', 900, 0],
    ]);
    db.close();
  });
});
