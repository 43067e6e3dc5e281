import { describe, expect, it } from 'vitest';
import type { DownloadJob, DownloadListInput, JobEvent } from '../../../src-common/contract';
import type { HaulClient, JobEventListener } from '../api/client';
import { createStore } from './index';
import { downloadOf, tablePage } from './table-slice';
import { downloadJob } from './test-jobs';

/**
 * A core in miniature: `stored` is every download job, live or finished; downloads.list
 * answers newest first (the table's default sort), filtered by status. Events are pushed by hand.
 */
function fakeCore(stored: DownloadJob[]) {
  let listener: JobEventListener | undefined;
  const lists: DownloadListInput[] = [];
  let failNext = false;
  const client: HaulClient = {
    transport: 'http',
    invoke: (async (command: string, input: DownloadListInput & { id?: string }) => {
      if (command === 'downloads.list') {
        lists.push(input);
        if (failNext) {
          failNext = false;
          return { ok: false, error: { kind: 'internal', message: 'disk on fire' } };
        }
        const kept = stored
          .filter((job) => !input.statuses || input.statuses.includes(job.status))
          .sort((a, b) => b.createdAt - a.createdAt);
        const offset = input.offset ?? 0;
        const counts: Record<string, number> = {};
        for (const job of stored) counts[job.status] = (counts[job.status] ?? 0) + 1;
        return {
          ok: true,
          value: { jobs: kept.slice(offset, offset + (input.limit ?? 100)), total: kept.length, counts },
        };
      }
      if (command === 'jobs.remove') {
        stored = stored.filter((job) => job.id !== input.id);
        return { ok: true, value: { removed: true } };
      }
      if (command === 'jobs.each') {
        const { ids } = input as unknown as { ids: string[] };
        stored = stored.filter((job) => !ids.includes(job.id));
        return { ok: true, value: { refused: [] } };
      }
      return { ok: true, value: {} };
    }) as HaulClient['invoke'],
    subscribe: (l) => ((listener = l), () => (listener = undefined)),
  };
  return {
    client,
    lists,
    failOnce: () => (failNext = true),
    emit: (event: JobEvent) => listener?.(event),
    set: (jobs: DownloadJob[]) => (stored = jobs),
  };
}

const settle = (ms = 150) => new Promise((r) => setTimeout(r, ms));
const id = (n: number) => n.toString(16).padStart(8, '0');
/** Jobs 1..n, job n the newest. */
const jobs = (n: number, status: DownloadJob['status'] = 'completed') =>
  Array.from({ length: n }, (_, i) => downloadJob({ id: id(i + 1), status, createdAt: i + 1 }));

async function connected(stored: DownloadJob[], live: DownloadJob[] = []) {
  const core = fakeCore(stored);
  const store = createStore(core.client);
  store.getState().connect();
  core.emit({ event: 'init', data: { jobs: live, actionJobs: [], tasks: [] } });
  await settle();
  return { core, store };
}

describe('the downloads table, paged by the core', () => {
  it('reads the first page at start, then only the pages scrolled to', async () => {
    const { core, store } = await connected(jobs(250));
    const first = store.getState().tableIds;
    expect(first).toHaveLength(250);
    expect(first.slice(0, 3)).toEqual([id(250), id(249), id(248)]);
    expect(first[tablePage]).toBeUndefined();
    expect(store.getState().tableCounts).toEqual({ completed: 250 });

    store.getState().showRows(230, 249);
    await settle();
    const ids = store.getState().tableIds;
    expect(ids[249]).toBe(id(1));
    expect(ids[150]).toBeUndefined();
    expect(core.lists.map((q) => q.offset)).toEqual([0, 200]);
  });

  it('asks again from the start when the tab changes, and drops an answer to the old query', async () => {
    const mixed = [...jobs(3), downloadJob({ id: id(9), status: 'failed', createdAt: 9 })];
    const { core, store } = await connected(mixed);
    store.getState().setTab('failed');
    await settle();
    expect(store.getState().tableIds).toEqual([id(9)]);
    expect(core.lists.at(-1)).toMatchObject({ statuses: ['failed', 'cancelled'], sort: 'added', desc: true });
    // Scroll read under "all" that answers after the switch to "completed": not applied.
    store.getState().setTab('all');
    store.getState().showRows(0, 3);
    store.getState().setTab('completed');
    await settle();
    expect(store.getState().tableIds).toEqual([id(3), id(2), id(1)]);
  });

  it('reads the screen again after a job is added, once for a burst of events', async () => {
    const { core, store } = await connected(jobs(2));
    const before = core.lists.length;
    const added = [downloadJob({ id: id(7), createdAt: 7 }), downloadJob({ id: id(8), createdAt: 8 })];
    core.set([...jobs(2), ...added]);
    for (const job of added) core.emit({ event: 'added', data: { type: 'added', job } });
    await settle(400);
    expect(core.lists.length - before).toBe(1);
    expect(store.getState().tableIds).toEqual([id(8), id(7), id(2), id(1)]);
  });

  it('does not read again for progress when the sort does not use it', async () => {
    const running = downloadJob({ id: id(5), status: 'downloading', createdAt: 5 });
    const { core, store } = await connected([running], [running]);
    const before = core.lists.length;
    core.emit({ event: 'updated', data: { type: 'updated', job: { ...running, progress: 50, updatedAt: 2_000 } } });
    await settle(300);
    expect(core.lists.length).toBe(before);
    expect(downloadOf(store.getState(), id(5))?.progress).toBe(50);
    store.getState().setSort({ key: 'progress', desc: true });
    await settle();
    const sorted = core.lists.length;
    core.emit({ event: 'updated', data: { type: 'updated', job: { ...running, progress: 60, updatedAt: 3_000 } } });
    await settle(600);
    expect(core.lists.length).toBe(sorted + 1);
  });

  it('moves the tab counts with a status change in the same frame as the row', async () => {
    const running = downloadJob({ id: id(5), status: 'downloading', createdAt: 5 });
    const { core, store } = await connected([running], [running]);
    const done = { ...running, status: 'completed' as const, progress: 100, updatedAt: 9_000 };
    core.set([done]);
    core.emit({ event: 'updated', data: { type: 'updated', job: done } });
    await settle(150);
    expect(store.getState().downloads[id(5)]?.status).toBe('completed');
    expect(store.getState().tableCounts).toEqual({ downloading: 0, completed: 1 });
  });

  it('keeps the last state of a job retention took out of the live list', async () => {
    const running = downloadJob({ id: id(5), status: 'downloading', createdAt: 5 });
    const { core, store } = await connected([running], [running]);
    const done = { ...running, status: 'completed' as const, progress: 100, updatedAt: 9_000 };
    core.set([done]);
    core.emit({ event: 'updated', data: { type: 'updated', job: done } });
    core.emit({ event: 'removed', data: { type: 'removed', job: done } });
    // After the batch is applied (next frame), before the table is read again.
    await settle(150);
    expect(store.getState().downloads[id(5)]).toBeUndefined();
    expect(downloadOf(store.getState(), id(5))).toMatchObject({ status: 'completed', progress: 100 });
    await settle(400);
    expect(store.getState().tableIds).toEqual([id(5)]);
    expect(store.getState().tableCounts).toEqual({ completed: 1 });
  });

  it('drops a row the user removed, live or finished, and keeps the rest in order', async () => {
    const live = downloadJob({ id: id(3), status: 'failed', createdAt: 3 });
    const { core, store } = await connected([...jobs(2), live], [live]);
    await store.getState().removeJobs([id(3), id(1)], false);
    core.emit({ event: 'removed', data: { type: 'removed', job: live } });
    await settle(400);
    expect(store.getState().tableIds).toEqual([id(2)]);
    expect(store.getState().tableCounts).toEqual({ completed: 1 });
  });

  it('drops from the selection the rows that left the tab, once the whole tab is read', async () => {
    const { core, store } = await connected(jobs(3, 'downloading'));
    store.getState().setTab('active');
    await settle();
    store.getState().select([id(1), id(2), id(3)]);
    // Two of them are paused: they leave the Active tab.
    core.set([...jobs(1, 'downloading'), ...jobs(3, 'paused').slice(1)]);
    store.getState().refreshTable('now');
    await settle();
    expect(store.getState().tableIds).toEqual([id(1)]);
    expect(store.getState().selection).toEqual([id(1)]);
  });

  it('reads every page for select all', async () => {
    const { core, store } = await connected(jobs(2500));
    const all = await store.getState().allRowIds();
    expect(all).toHaveLength(2500);
    expect(new Set(all).size).toBe(2500);
    expect(core.lists.slice(1).map((q) => [q.offset, q.limit])).toEqual([
      [0, 1000],
      [1000, 1000],
      [2000, 1000],
    ]);
  });

  it('selects all though the table reads its screen again meanwhile', async () => {
    const { core, store } = await connected(jobs(2500));
    const reading = store.getState().allRowIds();
    // Events in a busy queue: the screen is read again while select all reads its pages.
    store.getState().refreshTable('now');
    const all = await reading;
    expect(new Set(all).size).toBe(2500);
    // Their rows are at hand for the actions on the selection.
    expect(all.every((jobId) => store.getState().tableRows[jobId] !== undefined)).toBe(true);
    expect(core.lists.length).toBeGreaterThan(3);
  });

  it('says when the core could not answer, and reads again on retry', async () => {
    const core = fakeCore(jobs(1));
    core.failOnce();
    const store = createStore(core.client);
    store.getState().connect();
    core.emit({ event: 'init', data: { jobs: [], actionJobs: [], tasks: [] } });
    await settle();
    expect(store.getState().tableError?.message).toBe('disk on fire');
    store.getState().refreshTable('now');
    await settle();
    expect(store.getState()).toMatchObject({ tableError: undefined, tableReady: true, tableIds: [id(1)] });
  });
});
