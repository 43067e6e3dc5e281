import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { DownloadStatus } from '../../../src-common/contract';
import { downloadJob } from '../../test/job-fixtures';
import { openDatabase } from './database';
import { HistoryPruner, type PruneOptions } from './history-pruner';
import { JobStore } from './job-store';

let db: Database | undefined;
afterEach(() => db?.close());

const day = 86_400_000;
const now = 100 * day;

function open(): { store: JobStore; pruner: HistoryPruner } {
  db = openDatabase({ file: ':memory:' });
  return { store: new JobStore(db), pruner: new HistoryPruner(db) };
}

let next = 0;
function add(
  store: JobStore,
  status: DownloadStatus | 'timeout',
  finishedAt: number | null,
  options: { live?: boolean; updatedAt?: number } = {},
): string {
  next += 1;
  const id = next.toString(16).padStart(8, '0');
  // `timeout` is a task's status; the pruner sees only the status column, whatever the source.
  const job = downloadJob({
    id,
    status: status as DownloadStatus,
    finishedAt,
    updatedAt: options.updatedAt ?? finishedAt ?? now,
  });
  store.insert({ job, position: next, live: options.live ?? false, notBefore: null, resumeState: null });
  return id;
}

function ids(): string[] {
  return db!
    .prepare<[], { id: string }>('SELECT id FROM jobs ORDER BY id')
    .all()
    .map((row) => row.id);
}

/** Calls until a call removes nothing, as the retention timer does; bounded. */
function pruneAll(pruner: HistoryPruner, options: PruneOptions): number[] {
  const sizes: number[] = [];
  for (let i = 0; i < 100; i += 1) {
    sizes.push(pruner.prune(options));
    if (sizes.at(-1) === 0) return sizes;
  }
  throw new Error('pruning did not end');
}

const caps = { keepCompleted: 3, keepFailed: 2, expireBefore: 0 };

describe('HistoryPruner', () => {
  it('keeps the newest of each cap, the later-made row first among equal finish times', () => {
    const { store, pruner } = open();
    const tied = [add(store, 'completed', now - 10), add(store, 'completed', now - 10)];
    const newer = [add(store, 'completed', now - 5), add(store, 'completed', now - 1)];
    const older = add(store, 'completed', now - 20);
    const noTime = add(store, 'completed', null);
    pruneAll(pruner, caps);
    // Kept: the two newer and the later-made of the two that finished together.
    expect(ids()).toEqual([tied[1]!, ...newer].sort());
    expect(ids()).not.toContain(older);
    expect(ids()).not.toContain(noTime);
  });

  it('caps failed and cancelled together, leaves live and unfinished rows alone', () => {
    const { store, pruner } = open();
    const failed = [add(store, 'failed', now - 4), add(store, 'cancelled', now - 3), add(store, 'failed', now - 2)];
    const live = add(store, 'completed', now - 50, { live: true });
    const paused = add(store, 'paused', null, { updatedAt: 1 });
    const timedOut = add(store, 'timeout', now - 40);
    pruneAll(pruner, { ...caps, keepCompleted: 0 });
    expect(ids()).toEqual([failed[1]!, failed[2]!, live, paused, timedOut].sort());
  });

  it('deletes finished history older than the expiry, by finish time or else last update', () => {
    const { store, pruner } = open();
    const old = add(store, 'completed', now - 40 * day);
    const oldNoTime = add(store, 'failed', null, { updatedAt: now - 40 * day });
    const recentNoTime = add(store, 'failed', null, { updatedAt: now - day });
    const recent = add(store, 'timeout', now - day);
    const oldLive = add(store, 'completed', now - 40 * day, { live: true });
    pruneAll(pruner, { keepCompleted: 10, keepFailed: 10, expireBefore: now - 30 * day });
    expect(ids()).toEqual([recentNoTime, recent, oldLive].sort());
    expect(ids()).not.toContain(old);
    expect(ids()).not.toContain(oldNoTime);
  });

  it('goes a bounded batch per call, finding the cut-off once per run', () => {
    const { store, pruner } = open();
    for (let i = 0; i < 25; i += 1) add(store, 'completed', now - 1000 + i);
    const first = pruner.prune({ ...caps, batch: 10 });
    // Newer rows joining mid-run do not move the rows older than the cut-off.
    const joined = [add(store, 'completed', now), add(store, 'completed', now + 1)];
    const rest = pruneAll(pruner, { ...caps, batch: 10 });
    expect([first, ...rest]).toEqual([10, 10, 2, 0]);
    // The next run looks again: the two that joined push two more out.
    expect(pruneAll(pruner, { ...caps, batch: 10 })).toEqual([2, 0]);
    expect(ids()).toHaveLength(3);
    expect(ids()).toEqual(expect.arrayContaining(joined));
  });
});
