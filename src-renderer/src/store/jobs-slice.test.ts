import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../src-common/contract';
import type { HaulClient, JobEventListener } from '../api/client';
import type { StreamStatus } from '../api/event-stream';
import { createStore } from './index';
import { downloadJob, taskJob } from './test-jobs';

/**
 * A client that answers every command with `answer` and lets the test push events. The
 * table's reads (downloads.list, see table-slice.test.ts) get an empty page and are not recorded.
 */
function fakeClient(answer: (command: string, input: unknown) => unknown) {
  let listener: JobEventListener | undefined;
  let status: ((now: StreamStatus, message?: string) => void) | undefined;
  const calls: [string, unknown][] = [];
  const client: HaulClient = {
    transport: 'http',
    invoke: (async (command: string, input: unknown) => {
      if (command === 'downloads.list') return { ok: true, value: { jobs: [], total: 0, counts: {} } };
      calls.push([command, input]);
      return answer(command, input);
    }) as HaulClient['invoke'],
    subscribe: (l, onStatus) => {
      listener = l;
      status = onStatus;
      return () => (listener = undefined);
    },
  };
  return {
    client,
    calls,
    emit: (event: JobEvent) => listener?.(event),
    subscribed: () => listener !== undefined,
    status: (now: StreamStatus) => status?.(now, 'Failed to fetch'),
  };
}

const settle = () => new Promise((r) => setTimeout(r, 150));

describe('jobs slice', () => {
  it('subscribes, then applies events in one batch after init', async () => {
    const fake = fakeClient(() => ({ ok: true, value: {} }));
    const store = createStore(fake.client);
    const off = store.getState().connect();
    expect(fake.subscribed()).toBe(true);
    const job = downloadJob({ id: 'aaaaaaaa' });
    let sets = 0;
    // The batch's own changes; the table's read that follows an init is another slice's.
    store.subscribe((now, before) => {
      if (now.downloads !== before.downloads || now.synced !== before.synced) sets += 1;
    });
    fake.emit({ event: 'init', data: { jobs: [job], actionJobs: [], tasks: [] } });
    fake.emit({ event: 'updated', data: { type: 'updated', job: { ...job, progress: 50, updatedAt: 2_000 } } });
    expect(store.getState().synced).toBe(false);
    await settle();
    expect(sets).toBe(1);
    expect(store.getState().synced).toBe(true);
    expect(store.getState().downloads.aaaaaaaa!.progress).toBe(50);
    off();
    expect(fake.subscribed()).toBe(false);
  });

  it('forgets the speeds and times left once Haul is out of reach, keeping the bytes', async () => {
    const fake = fakeClient(() => ({ ok: true, value: {} }));
    const store = createStore(fake.client);
    store.getState().connect();
    const running = downloadJob({ id: 'aaaaaaaa', status: 'downloading', speed: 200_000, eta: 101, receivedBytes: 5 });
    fake.emit({ event: 'init', data: { jobs: [running], actionJobs: [], tasks: [] } });
    await settle();
    fake.status('offline');
    expect(store.getState().streamStatus).toBe('offline');
    expect(store.getState().downloads.aaaaaaaa).toMatchObject({ speed: 0, eta: null, receivedBytes: 5 });
  });

  it('shows every refused command with the core’s message, naming the job as the user knows it', async () => {
    const fake = fakeClient(() => ({ ok: false, error: { kind: 'conflict', message: 'the download is completed' } }));
    const store = createStore(fake.client);
    store.getState().connect();
    const job = downloadJob({ id: 'aaaaaaaa', fileName: 'report.pdf' });
    fake.emit({ event: 'init', data: { jobs: [job], actionJobs: [], tasks: [] } });
    await settle();
    // A job not at hand (gone from the list meanwhile) is named by its id.
    await store.getState().runJobCommand('jobs.pause', ['aaaaaaaa', 'bbbbbbbb']);
    const messages = store.getState().notices.map((n) => n.message);
    expect(messages).toEqual([
      'Could not pause report.pdf: the download is completed',
      'Could not pause bbbbbbbb: the download is completed',
    ]);
  });

  it('sends a large selection as jobs.each, a thousand a call, and sums many refusals up in one notice', async () => {
    const fake = fakeClient((_command, input) => {
      const { ids } = input as { ids: string[] };
      const refused = ids
        .filter((id) => id.endsWith('7'))
        .map((id) => ({ id, error: { kind: 'conflict', message: 'the download is completed' } }));
      return { ok: true, value: { refused } };
    });
    const store = createStore(fake.client);
    store.getState().connect();
    const ids = Array.from({ length: 2500 }, (_, i) => `job${String(i).padStart(5, '0')}`);
    fake.emit({
      event: 'init',
      data: { jobs: [downloadJob({ id: ids[7]!, fileName: 'seven.iso' })], actionJobs: [], tasks: [] },
    });
    await settle();
    await store.getState().runJobCommand('jobs.cancel', ids);
    expect(fake.calls.map(([command, input]) => [command, (input as { ids: string[] }).ids.length])).toEqual([
      ['jobs.each', 1000],
      ['jobs.each', 1000],
      ['jobs.each', 500],
    ]);
    expect(fake.calls.flatMap(([, input]) => (input as { ids: string[] }).ids)).toEqual(ids);
    expect(store.getState().notices.map((n) => n.message)).toEqual([
      'Could not cancel 250 jobs (seven.iso and 249 more): the download is completed',
    ]);
  });

  it('pauses what can pause and resumes what is paused', async () => {
    const fake = fakeClient(() => ({ ok: true, value: {} }));
    const store = createStore(fake.client);
    store.getState().connect();
    fake.emit({
      event: 'init',
      data: {
        jobs: [
          downloadJob({ id: 'aaaaaaaa', status: 'downloading' }),
          downloadJob({ id: 'bbbbbbbb', status: 'paused' }),
          downloadJob({ id: 'cccccccc', status: 'completed' }),
        ],
        actionJobs: [],
        tasks: [],
      },
    });
    await settle();
    await store.getState().togglePause(['aaaaaaaa', 'bbbbbbbb', 'cccccccc']);
    expect(fake.calls.sort()).toEqual([
      ['jobs.pause', { id: 'aaaaaaaa' }],
      ['jobs.resume', { id: 'bbbbbbbb' }],
    ]);
  });

  it('drops removed jobs from the selection', async () => {
    const fake = fakeClient(() => ({ ok: true, value: { removed: true } }));
    const store = createStore(fake.client);
    store.getState().select(['aaaaaaaa', 'bbbbbbbb']);
    await store.getState().removeJobs(['aaaaaaaa'], true);
    expect(fake.calls).toEqual([['jobs.remove', { id: 'aaaaaaaa', deleteFile: true }]]);
    expect(store.getState().selection).toEqual(['bbbbbbbb']);
  });

  it('says which files asked to go with their jobs were kept, and why', async () => {
    const kept = (id: string) => `Kept /dl/${id}.bin: it is no longer the file Haul downloaded (10 bytes then, 3 now).`;
    const fake = fakeClient((command, input) => {
      if (command === 'jobs.remove') return { ok: true, value: { removed: true, fileKept: kept('one') } };
      const { ids } = input as { ids: string[] };
      return { ok: true, value: { refused: [], kept: ids.map((id) => ({ id, message: kept(id) })) } };
    });
    const store = createStore(fake.client);
    await store.getState().removeJobs(['one'], true);
    expect(store.getState().notices.map((n) => [n.tone, n.message])).toEqual([['error', kept('one')]]);
    store.getState().closeNotice(store.getState().notices[0]!.id);
    // Many: one notice, with the first.
    await store.getState().removeJobs(['a1', 'a2', 'a3', 'a4', 'a5'], true);
    expect(store.getState().notices.map((n) => n.message)).toEqual([
      `5 files were not deleted. The first: ${kept('a1')}`,
    ]);
  });

  it('keeps live tasks from the stream and sends their controls through the client', async () => {
    const fake = fakeClient(() => ({ ok: true, value: {} }));
    const store = createStore(fake.client);
    const off = store.getState().connect();
    const t = taskJob({ id: 'abcdefabcdef0123', suspendable: true });
    fake.emit({ event: 'init', data: { jobs: [], actionJobs: [], tasks: [t] } });
    fake.emit({ event: 'task_updated', data: { type: 'updated', job: { ...t, progress: 70, updatedAt: 5_000 } } });
    await settle();
    expect(store.getState().tasks[t.id]!.progress).toBe(70);
    fake.emit({ event: 'task_removed', data: { type: 'removed', job: t } });
    await settle();
    expect(store.getState().tasks).toEqual({});
    await store.getState().runJobCommand('jobs.suspend', [t.id]);
    expect(fake.calls.at(-1)).toEqual(['jobs.suspend', { id: t.id }]);
    off();
  });
});
