import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../../src-common/contract';
import { downloadJob, pluginJob, taskJob } from '../../test/job-fixtures';
import { tempDir } from '../../test/temp-dir';
import { openDatabase } from './database';
import { HistoryPruner } from './history-pruner';
import { JobStore } from './job-store';
import { insertValues, writeParams, WriteStatements } from './job-writes';
import { migrations } from './migrations';
import { salvageRows } from './salvage';
import type { StoredJob } from './stored-job';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

type Db = ReturnType<typeof openDatabase>;

/** The counts as a scan of every job finds them, the way they were read before. */
function scanned(db: Db): Record<Job['source'], Record<string, number>> {
  const counts: Record<Job['source'], Record<string, number>> = { download: {}, plugin: {}, task: {} };
  const rows = db.prepare(`SELECT source, status, count(*) AS n FROM jobs GROUP BY source, status`).all() as {
    source: Job['source'];
    status: string;
    n: number;
  }[];
  for (const { source, status, n } of rows) counts[source][status] = n;
  return counts;
}

const statuses = { download: 'pending', plugin: 'queued', task: 'queued' } as const;

function stored(id: string, source: Job['source'], status: string, finishedAt: number | null = null): StoredJob {
  const common = { id, createdAt: 1, finishedAt };
  const job =
    source === 'download'
      ? downloadJob({ ...common, status: status as never })
      : source === 'plugin'
        ? pluginJob({ ...common, status: status as never })
        : taskJob({ ...common, status: status as never });
  return { job, position: 1, live: true, notBefore: null, resumeState: null };
}

const id = (n: number) => n.toString(16).padStart(8, '0');

describe('job counts', () => {
  it('stay what a scan of the jobs finds through inserts, status changes, deletions and a rollback', () => {
    const db = openDatabase({ file: join(dir.path, 'a.db') });
    const store = new JobStore(db);
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('insert' as const),
        n: fc.nat(40),
        source: fc.constantFrom('download', 'plugin', 'task'),
      }),
      fc.record({ kind: fc.constant('finish' as const), n: fc.nat(40), failed: fc.boolean() }),
      fc.record({ kind: fc.constant('delete' as const), n: fc.nat(40) }),
      fc.record({ kind: fc.constant('rollback' as const), n: fc.nat(40) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        db.exec(`DELETE FROM jobs`);
        const live = new Map<string, StoredJob>();
        for (const step of ops) {
          const key = id(step.n);
          const current = live.get(key);
          if (step.kind === 'insert' && !current) {
            const entry = stored(key, step.source, statuses[step.source]);
            store.insert(entry);
            live.set(key, entry);
          } else if (step.kind === 'finish' && current) {
            const status = step.failed ? 'failed' : 'completed';
            const next = { ...current, job: { ...current.job, status, finishedAt: 2 } as Job };
            store.save(next, current);
            live.set(key, next);
          } else if (step.kind === 'delete' && current) {
            store.delete(key);
            live.delete(key);
          } else if (step.kind === 'rollback') {
            // A transaction that inserted and changed jobs, then threw: nothing of it stays.
            expect(() =>
              db.transaction(() => {
                store.insert(stored(id(1000 + step.n), 'download', 'pending'));
                if (current) store.save({ ...current, job: { ...current.job, status: 'failed' } }, current);
                throw new Error('refused');
              })(),
            ).toThrow('refused');
          }
          expect(store.countsBySource()).toEqual(scanned(db));
        }
        expect(store.counts('download')).toEqual(scanned(db).download);
      }),
      { numRuns: 60 },
    );
    db.close();
  });

  it('lose the rows the retention and the history pruning delete', () => {
    const db = openDatabase({ file: join(dir.path, 'b.db') });
    const store = new JobStore(db);
    const history = (entry: StoredJob): StoredJob => ({ ...entry, live: false });
    store.insertMany(Array.from({ length: 30 }, (_, i) => history(stored(id(i), 'download', 'completed', 10 + i))));
    store.insertMany(Array.from({ length: 5 }, (_, i) => history(stored(id(100 + i), 'task', 'completed', 10 + i))));
    store.insert(stored(id(200), 'download', 'pending'));
    // The retention's expiry: everything finished before 25.
    expect(store.deleteFinishedBefore(25).removed).toBe(20);
    expect(store.countsBySource()).toEqual(scanned(db));
    expect(store.counts('download')).toEqual({ completed: 15, pending: 1 });
    // The history pruning, in batches of four, down to the newest six completed.
    const pruner = new HistoryPruner(db);
    const caps = { keepCompleted: 6, keepFailed: 6, expireBefore: 0, batch: 4 };
    for (let i = 0; i < 10 && pruner.prune(caps) > 0; i += 1) expect(store.countsBySource()).toEqual(scanned(db));
    expect(store.counts('download')).toEqual({ completed: 6, pending: 1 });
    db.close();
  });

  it('are counted once from the jobs a database had when it gains them (migration 14)', () => {
    const file = join(dir.path, 'm14.db');
    const v13 = openDatabase({ file, migrations: migrations.filter((m) => m.version <= 13) });
    // The rows as the job store of that schema wrote them (its reads need the counts table).
    const writes = new WriteStatements(v13);
    for (const entry of [
      stored(id(1), 'download', 'completed'),
      stored(id(2), 'download', 'completed'),
      stored(id(3), 'download', 'failed'),
      stored(id(4), 'plugin', 'queued'),
    ])
      writes.insert(1).run(insertValues(writeParams(entry)));
    v13.close();

    const db = openDatabase({ file });
    const store = new JobStore(db);
    expect(store.countsBySource()).toEqual({ download: { completed: 2, failed: 1 }, plugin: { queued: 1 }, task: {} });
    store.insert(stored(id(5), 'download', 'completed'));
    expect(store.counts('download')).toEqual({ completed: 3, failed: 1 });
    db.close();
  });

  it('are made again from the jobs a salvage copies, not copied from the damaged file', () => {
    const damaged = join(dir.path, 'damaged.db');
    const old = openDatabase({ file: damaged });
    const oldStore = new JobStore(old);
    oldStore.insert(stored(id(1), 'download', 'completed'));
    oldStore.insert(stored(id(2), 'download', 'pending'));
    // Counts that no longer match their jobs must not travel with them.
    old.exec(`UPDATE job_counts SET n = 99`);
    old.pragma('wal_checkpoint(TRUNCATE)');
    old.close();
    copyFileSync(damaged, join(dir.path, 'copy.db'));

    const fresh = openDatabase({ file: join(dir.path, 'fresh.db') });
    expect(salvageRows(fresh, join(dir.path, 'copy.db')).rows['jobs']).toBe(2);
    expect(new JobStore(fresh).countsBySource()).toEqual({
      download: { completed: 1, pending: 1 },
      plugin: {},
      task: {},
    });
    fresh.close();
  });
});
