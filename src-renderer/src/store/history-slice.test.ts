import { describe, expect, it } from 'vitest';
import type { DownloadJob, JobEvent } from '../../../src-common/contract';
import type { HaulClient, JobEventListener } from '../api/client';
import { historyPage } from './history-slice';
import { createStore } from './index';
import { downloadJob } from './test-jobs';

/** A core in miniature: `stored` is SQLite's download jobs, newest first; events are pushed by hand. */
function fakeCore(stored: DownloadJob[]) {
  let listener: JobEventListener | undefined;
  const calls: [string, unknown][] = [];
  const client: HaulClient = {
    transport: 'http',
    invoke: (async (command: string, input: { id?: string; offset?: number; limit?: number }) => {
      calls.push([command, input]);
      if (command === 'jobs.list') {
        const page = stored.slice(input.offset ?? 0, (input.offset ?? 0) + (input.limit ?? 100));
        return { ok: true, value: { jobs: page, total: stored.length } };
      }
      if (command === 'jobs.queues') {
        const counts: Record<string, number> = {};
        for (const job of stored) counts[job.status] = (counts[job.status] ?? 0) + 1;
        return { ok: true, value: { queues: [{ name: 'download', counts }] } };
      }
      if (command === 'jobs.remove') {
        stored = stored.filter((job) => job.id !== input.id);
        return { ok: true, value: { removed: true } };
      }
      return { ok: true, value: {} };
    }) as HaulClient['invoke'],
    subscribe: (l) => ((listener = l), () => (listener = undefined)),
  };
  return { client, calls, emit: (event: JobEvent) => listener?.(event) };
}

const settle = (ms = 150) => new Promise((r) => setTimeout(r, ms));
const id = (n: number) => n.toString(16).padStart(8, '0');

describe('history in the downloads table', () => {
  it('keeps a job retention took out of the live list as a history row, counted in its tab', async () => {
    const done = downloadJob({ id: id(1), status: 'completed' });
    const core = fakeCore([done]);
    const store = createStore(core.client);
    store.getState().connect();
    core.emit({ event: 'init', data: { jobs: [done], actionJobs: [], tasks: [] } });
    await settle(700);
    expect(store.getState().storedCounts).toEqual({});
    core.emit({ event: 'removed', data: { type: 'removed', job: done } });
    await settle();
    expect(store.getState().downloads[done.id]).toBeUndefined();
    expect(store.getState().history[done.id]).toBe(done);
    expect(store.getState().storedCounts).toEqual({ completed: 1 });
  });

  it('deletes a job the user removed, live or history, from both', async () => {
    const live = downloadJob({ id: id(1), status: 'failed', createdAt: 2 });
    const old = downloadJob({ id: id(2), status: 'completed', createdAt: 1 });
    const core = fakeCore([live, old]);
    const store = createStore(core.client);
    store.getState().connect();
    core.emit({ event: 'init', data: { jobs: [live], actionJobs: [], tasks: [] } });
    await settle(700);
    await store.getState().loadMoreHistory();
    expect(store.getState().storedCounts).toEqual({ completed: 1 });
    await store.getState().removeJobs([live.id, old.id], false);
    core.emit({ event: 'removed', data: { type: 'removed', job: live } });
    await settle();
    expect(store.getState().downloads).toEqual({});
    expect(store.getState().history).toEqual({});
    expect(store.getState().storedCounts.completed ?? 0).toBe(0);
  });

  it('reads history a page at a time and stops at the end', async () => {
    const stored = Array.from({ length: historyPage + 20 }, (_, n) =>
      downloadJob({ id: id(n + 1), status: 'completed', createdAt: 10_000 - n }),
    );
    const core = fakeCore(stored);
    const store = createStore(core.client);
    await store.getState().loadMoreHistory();
    expect(Object.keys(store.getState().history)).toHaveLength(historyPage);
    expect(store.getState().historyDone).toBe(false);
    await store.getState().loadMoreHistory();
    await store.getState().loadMoreHistory();
    expect(Object.keys(store.getState().history)).toHaveLength(historyPage + 20);
    expect(store.getState().historyDone).toBe(true);
    expect(core.calls.filter(([c]) => c === 'jobs.list').map(([, input]) => input)).toEqual([
      { source: 'download', order: '-createdAt', limit: historyPage, offset: 0 },
      { source: 'download', order: '-createdAt', limit: historyPage, offset: historyPage },
    ]);
  });

  it('counts history by status as the core’s counts less the live jobs', async () => {
    const live = downloadJob({ id: id(1), status: 'paused' });
    const core = fakeCore([
      live,
      downloadJob({ id: id(2), status: 'paused' }),
      downloadJob({ id: id(3), status: 'cancelled' }),
    ]);
    const store = createStore(core.client);
    store.getState().connect();
    core.emit({ event: 'init', data: { jobs: [live], actionJobs: [], tasks: [] } });
    await settle(700);
    expect(store.getState().storedCounts).toEqual({ paused: 1, cancelled: 1 });
  });
});
