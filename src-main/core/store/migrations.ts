import type { Database } from 'better-sqlite3';
import { downloadName } from '../../../src-common/contract';
import { nameSortKey } from './sort-columns';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
  /**
   * Runs with foreign keys off (checked before commit): a table rebuild must not cascade
   * the DROP of the old table into the rows that refer to it.
   */
  rebuildsTables?: boolean;
}

/**
 * Numbered, append-only. A released migration is never edited: add the next one.
 * Each runs in its own transaction together with the `user_version` bump.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'settings',
    up(db) {
      db.exec(`
        CREATE TABLE settings (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 2,
    name: 'jobs',
    up(db) {
      // The whole job is kept as JSON in `data` (parsed with the contract's schema on
      // read); the columns beside it exist for filtering, ordering and retention.
      db.exec(`
        CREATE TABLE jobs (
          id              TEXT PRIMARY KEY,
          source          TEXT NOT NULL CHECK (source IN ('download', 'plugin')),
          status          TEXT NOT NULL,
          type            TEXT NOT NULL,
          search          TEXT NOT NULL,
          created_at      INTEGER NOT NULL,
          updated_at      INTEGER NOT NULL,
          started_at      INTEGER,
          finished_at     INTEGER,
          idempotency_key TEXT UNIQUE,
          priority        INTEGER NOT NULL DEFAULT 0,
          position        INTEGER NOT NULL DEFAULT 0,
          live            INTEGER NOT NULL DEFAULT 1,
          not_before      INTEGER,
          data            TEXT NOT NULL,
          resume_state    TEXT
        ) STRICT;
        CREATE INDEX jobs_source_status ON jobs (source, status);
        CREATE INDEX jobs_created_at ON jobs (created_at);
        CREATE INDEX jobs_finished_at ON jobs (status, finished_at);
        CREATE INDEX jobs_live ON jobs (live) WHERE live = 1;

        CREATE TABLE job_logs (
          job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
          seq    INTEGER NOT NULL,
          at     INTEGER NOT NULL,
          line   TEXT NOT NULL,
          PRIMARY KEY (job_id, seq)
        ) STRICT;
      `);
    },
  },
  {
    version: 3,
    name: 'job list indexes',
    up(db) {
      // One index per orderable time field, holding the filter columns too, so a list
      // page is read in index order instead of sorting every matching row; and the
      // queue position, read at every submit.
      db.exec(`
        DROP INDEX jobs_created_at;
        DROP INDEX jobs_finished_at;
        CREATE INDEX jobs_order_created  ON jobs (created_at, status, source);
        CREATE INDEX jobs_order_updated  ON jobs (updated_at, status, source);
        CREATE INDEX jobs_order_started  ON jobs (started_at, status, source);
        CREATE INDEX jobs_order_finished ON jobs (finished_at, status, source);
        CREATE INDEX jobs_retention      ON jobs (live, status, finished_at);
        CREATE INDEX jobs_position       ON jobs (source, position);
      `);
    },
  },
  {
    version: 4,
    name: 'library resources',
    up(db) {
      db.exec(`
        CREATE TABLE resources (
          id           INTEGER PRIMARY KEY,
          job_id       TEXT,
          path         TEXT NOT NULL,
          name         TEXT NOT NULL,
          size         INTEGER NOT NULL,
          content_type TEXT,
          sha256       TEXT,
          source_url   TEXT,
          created_at   INTEGER NOT NULL,
          search       TEXT NOT NULL
        ) STRICT;
        CREATE INDEX resources_created_at ON resources (created_at);
        CREATE INDEX resources_job ON resources (job_id);
      `);
    },
  },
  {
    version: 5,
    name: 'plugin state and storage',
    up(db) {
      // plugin_state: what the user chose (enabled, settings as JSON) per plugin name, kept
      // when a plugin is removed so a reinstall finds its settings. plugin_storage: the
      // key/value store behind haul.storage, values as JSON.
      db.exec(`
        CREATE TABLE plugin_state (
          name       TEXT PRIMARY KEY,
          enabled    INTEGER NOT NULL,
          settings   TEXT NOT NULL DEFAULT '{}',
          updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE plugin_storage (
          plugin TEXT NOT NULL,
          key    TEXT NOT NULL,
          value  TEXT NOT NULL,
          PRIMARY KEY (plugin, key)
        ) STRICT, WITHOUT ROWID;
      `);
    },
  },
  {
    version: 6,
    name: 'job text search index',
    up(db) {
      // A trigram full-text index over the jobs' search text, kept in step by triggers,
      // so finding "199.zip" among 100,000 jobs reads the index instead of every row.
      db.exec(`
        CREATE VIRTUAL TABLE jobs_search USING fts5 (search, content = 'jobs', content_rowid = 'rowid', tokenize = 'trigram');
        INSERT INTO jobs_search (jobs_search) VALUES ('rebuild');
        CREATE TRIGGER jobs_search_insert AFTER INSERT ON jobs BEGIN
          INSERT INTO jobs_search (rowid, search) VALUES (new.rowid, new.search);
        END;
        CREATE TRIGGER jobs_search_delete AFTER DELETE ON jobs BEGIN
          INSERT INTO jobs_search (jobs_search, rowid, search) VALUES ('delete', old.rowid, old.search);
        END;
        CREATE TRIGGER jobs_search_update AFTER UPDATE OF search ON jobs WHEN old.search IS NOT new.search BEGIN
          INSERT INTO jobs_search (jobs_search, rowid, search) VALUES ('delete', old.rowid, old.search);
          INSERT INTO jobs_search (rowid, search) VALUES (new.rowid, new.search);
        END;
      `);
    },
  },
  {
    version: 7,
    name: 'aria2 gids',
    up(db) {
      // The aria2-compatible endpoint names downloads by 16-hex GIDs; each one stays bound
      // to its job across restarts, and goes with the job when the job is deleted.
      db.exec(`
        CREATE TABLE aria2_gids (
          gid    TEXT PRIMARY KEY CHECK (length(gid) = 16),
          job_id TEXT NOT NULL UNIQUE REFERENCES jobs (id) ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID;
      `);
    },
  },
  {
    version: 8,
    name: 'job status and queue position in their columns only',
    up(db) {
      // They were also copied into the JSON of each job; two copies can disagree.
      db.exec(`UPDATE jobs SET data = json_remove(data, '$.status', '$.position')`);
    },
  },
  {
    version: 9,
    name: 'download table sort columns',
    up(db) {
      // The Downloads table sorts by name, size and progress in SQL, over live and finished
      // jobs together; the name column holds a natural-order key (see sort-columns.ts).
      db.exec(`
        ALTER TABLE jobs ADD COLUMN sort_name TEXT NOT NULL DEFAULT '';
        ALTER TABLE jobs ADD COLUMN size INTEGER;
        ALTER TABLE jobs ADD COLUMN progress REAL NOT NULL DEFAULT 0;
      `);
      // One statement over every row: the name key comes from the same function new rows use.
      db.function('haul_sort_key', { deterministic: true }, (text) =>
        nameSortKey(typeof text === 'string' ? text : ''),
      );
      db.function('haul_name_key', { deterministic: true }, (fileName, url, finalUrl) =>
        nameSortKey(
          downloadName({
            fileName: typeof fileName === 'string' ? fileName : null,
            url: typeof url === 'string' ? url : '',
            finalUrl: typeof finalUrl === 'string' ? finalUrl : null,
          }),
        ),
      );
      db.exec(`
        UPDATE jobs SET
          sort_name = CASE source
            WHEN 'download' THEN haul_name_key(data ->> '$.fileName', data ->> '$.url', data ->> '$.finalUrl')
            ELSE haul_sort_key(data ->> '$.label') END,
          size = CASE WHEN source = 'download' THEN data ->> '$.totalBytes' END,
          progress = coalesce(data ->> '$.progress', 0)
      `);
      // One index per sortable column behind the source, so a page deep in 100,000 rows is
      // read from an index, not sorted (the row id that breaks ties is in every index).
      db.exec(`
        CREATE INDEX jobs_table_added    ON jobs (source, created_at);
        CREATE INDEX jobs_table_name     ON jobs (source, sort_name);
        CREATE INDEX jobs_table_size     ON jobs (source, size);
        CREATE INDEX jobs_table_progress ON jobs (source, progress);
        CREATE INDEX jobs_table_queue    ON jobs (source, priority DESC, position);
      `);
    },
  },
  {
    version: 10,
    name: 'plugin registrations',
    up(db) {
      // What a plugin's activate registered, under a key of its code, manifest and settings:
      // plugins start without their worker and wake it when work for them arrives.
      db.exec(`
        CREATE TABLE plugin_registrations (
          name          TEXT PRIMARY KEY,
          key           TEXT NOT NULL,
          registrations TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 11,
    name: 'tasks, the third job source',
    rebuildsTables: true,
    up(db) {
      // SQLite cannot change a CHECK in place: the table is rebuilt with the same columns
      // and rowids (the text index refers to rows by rowid), then its indexes and triggers
      // are made again from their own definitions.
      const extras = db
        .prepare<[], { sql: string }>(
          `SELECT sql FROM sqlite_schema WHERE tbl_name = 'jobs' AND type IN ('index', 'trigger') AND sql IS NOT NULL`,
        )
        .all();
      db.exec(`
        CREATE TABLE jobs_next (
          id              TEXT PRIMARY KEY,
          source          TEXT NOT NULL CHECK (source IN ('download', 'plugin', 'task')),
          status          TEXT NOT NULL,
          type            TEXT NOT NULL,
          search          TEXT NOT NULL,
          created_at      INTEGER NOT NULL,
          updated_at      INTEGER NOT NULL,
          started_at      INTEGER,
          finished_at     INTEGER,
          idempotency_key TEXT UNIQUE,
          priority        INTEGER NOT NULL DEFAULT 0,
          position        INTEGER NOT NULL DEFAULT 0,
          live            INTEGER NOT NULL DEFAULT 1,
          not_before      INTEGER,
          data            TEXT NOT NULL,
          resume_state    TEXT,
          sort_name       TEXT NOT NULL DEFAULT '',
          size            INTEGER,
          progress        REAL NOT NULL DEFAULT 0
        ) STRICT;
        INSERT INTO jobs_next (rowid, id, source, status, type, search, created_at, updated_at, started_at,
                               finished_at, idempotency_key, priority, position, live, not_before, data, resume_state,
                               sort_name, size, progress)
          SELECT rowid, id, source, status, type, search, created_at, updated_at, started_at,
                 finished_at, idempotency_key, priority, position, live, not_before, data, resume_state,
                 sort_name, size, progress FROM jobs;
        DROP TABLE jobs;
        ALTER TABLE jobs_next RENAME TO jobs;
      `);
      for (const { sql } of extras) db.exec(sql);
    },
  },
  {
    version: 12,
    name: 'job text search index fed in batches',
    up(db) {
      // Feeding the trigram index one row per transaction cost a new index segment per row
      // (about 0.3 ms, half of a one-URL submit's SQLite time). New and changed rows are
      // listed in jobs_search_pending instead, and the job store indexes the list in one
      // statement before any text search (see JobStore.indexPending). A row on the list is
      // not in the index, so its change or deletion leaves the index alone.
      db.exec(`
        CREATE TABLE jobs_search_pending (job_rowid INTEGER PRIMARY KEY) STRICT;
        DROP TRIGGER jobs_search_insert;
        DROP TRIGGER jobs_search_update;
        DROP TRIGGER jobs_search_delete;
        CREATE TRIGGER jobs_search_insert AFTER INSERT ON jobs BEGIN
          INSERT OR IGNORE INTO jobs_search_pending (job_rowid) VALUES (new.rowid);
        END;
        CREATE TRIGGER jobs_search_update AFTER UPDATE OF search ON jobs WHEN old.search IS NOT new.search BEGIN
          INSERT INTO jobs_search (jobs_search, rowid, search)
            SELECT 'delete', old.rowid, old.search
             WHERE NOT EXISTS (SELECT 1 FROM jobs_search_pending WHERE job_rowid = old.rowid);
          INSERT OR IGNORE INTO jobs_search_pending (job_rowid) VALUES (new.rowid);
        END;
        CREATE TRIGGER jobs_search_delete AFTER DELETE ON jobs BEGIN
          INSERT INTO jobs_search (jobs_search, rowid, search)
            SELECT 'delete', old.rowid, old.search
             WHERE NOT EXISTS (SELECT 1 FROM jobs_search_pending WHERE job_rowid = old.rowid);
          DELETE FROM jobs_search_pending WHERE job_rowid = old.rowid;
        END;
      `);
    },
  },
  {
    version: 13,
    name: 'jobs_live dropped',
    up(db) {
      // jobs_live (live) WHERE live = 1 served nothing that jobs_retention (live, status,
      // finished_at) does not: the live list is read from that one. One index fewer to
      // write at every new job and every retirement.
      db.exec(`DROP INDEX jobs_live`);
    },
  },
  {
    version: 14,
    name: 'job counts kept by triggers',
    up(db) {
      // Counting jobs by source and status read the whole (source, status) index: 7.5-10.7 ms
      // a call with 100,000 jobs in the history, for every queues overview, every downloads
      // list page and every aria2.getGlobalStat, which front-ends poll each second. The
      // counts are kept beside the jobs instead, by the jobs' own writes (one small page
      // more for a write that changes a status), so every path that writes jobs keeps them.
      db.exec(`
        CREATE TABLE job_counts (
          source TEXT NOT NULL,
          status TEXT NOT NULL,
          n      INTEGER NOT NULL,
          PRIMARY KEY (source, status)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO job_counts (source, status, n) SELECT source, status, count(*) FROM jobs GROUP BY source, status;
        CREATE TRIGGER job_counts_insert AFTER INSERT ON jobs BEGIN
          INSERT INTO job_counts (source, status, n) VALUES (new.source, new.status, 1)
            ON CONFLICT (source, status) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER job_counts_delete AFTER DELETE ON jobs BEGIN
          UPDATE job_counts SET n = n - 1 WHERE source = old.source AND status = old.status;
        END;
        CREATE TRIGGER job_counts_update AFTER UPDATE OF source, status ON jobs
          WHEN old.source IS NOT new.source OR old.status IS NOT new.status BEGIN
          UPDATE job_counts SET n = n - 1 WHERE source = old.source AND status = old.status;
          INSERT INTO job_counts (source, status, n) VALUES (new.source, new.status, 1)
            ON CONFLICT (source, status) DO UPDATE SET n = n + 1;
        END;
      `);
    },
  },
];

export const latestSchemaVersion = migrations.at(-1)?.version ?? 0;
