import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClosureRunner } from '../test/closure-runner';
import { queuesApiCounts, statusesFor } from './routes-queues';
import { eventually, quickRunner, startTestApi, type TestApi } from './test-support';

let api: TestApi;
let plugins: ClosureRunner;
beforeAll(async () => {
  plugins = new ClosureRunner();
  api = await startTestApi({ runner: quickRunner, core: { pluginJobRunner: plugins } });
  const urls = Array.from({ length: 5 }, (_, i) => `https://example.com/done-${i}.bin`).join('\n');
  await api.call('POST', '/v1/jobs/download/submit', { url: urls });
  await api.call('POST', '/v1/jobs/download/submit', { url: 'https://example.com/later.bin', paused: true });
  await eventually(
    async () => (await api.call('GET', '/v1/jobs?status=completed')).json().total === 5,
    'five completed downloads',
  );
});
afterAll(() => api.close());

describe('GET /v1/jobs/queues/:name (queues API)', () => {
  it('pages the jobs of one status with queues API pagination', async () => {
    const res = await api.call('GET', '/v1/jobs/queues/download?status=completed&page=2&limit=2');
    expect(res.status).toBe(200);
    const value = res.json();
    expect(value.name).toBe('download');
    expect(value.counts).toMatchObject({ completed: 5, paused: 1 });
    expect(value.jobs).toHaveLength(2);
    expect(value.jobs.every((j: { status: string }) => j.status === 'completed')).toBe(true);
    expect(value.pagination).toEqual({ currentPage: 2, totalPages: 3, totalJobs: 5, limit: 2 });
  });

  it('defaults to failed, page 1, limit 10', async () => {
    const value = (await api.call('GET', '/v1/jobs/queues/download')).json();
    expect(value.jobs).toEqual([]);
    expect(value.pagination).toEqual({ currentPage: 1, totalPages: 0, totalJobs: 0, limit: 10 });
  });

  it("maps the queues API's statuses onto ours", async () => {
    const waiting = (await api.call('GET', '/v1/jobs/queues/download?status=paused')).json();
    expect(waiting.jobs.map((j: { url: string }) => j.url)).toEqual(['https://example.com/later.bin']);
    expect(statusesFor('download', 'active')).toEqual(['downloading', 'processing']);
    expect(statusesFor('plugin', 'active')).toEqual(['running']);
    expect(statusesFor('download', 'waiting')).toEqual(['pending']);
    expect(statusesFor('download', undefined)).toEqual(['failed']);
  });

  it('404 for an unknown queue, 400 naming a bad status, page or limit', async () => {
    const unknown = await api.call('GET', '/v1/jobs/queues/ingestion');
    expect(unknown.status).toBe(404);
    expect(unknown.json().error.kind).toBe('not_found');
    for (const [query, field] of [
      ['status=running', 'status'],
      ['page=0', 'page'],
      ['limit=abc', 'limit'],
      ['limit=5000', 'limit'],
    ]) {
      const res = await api.call('GET', `/v1/jobs/queues/download?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.json().error.message, query).toContain(field);
    }
  });
});

describe('plugin action routes (event-stream API)', () => {
  it('runs a plugin action over HTTP: a bad action is refused with the envelope, not a 500', async () => {
    const res = await api.call('POST', '/v1/jobs/action/run', { pluginName: 'nope', actionId: 'y' });
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ error: { kind: 'not_found' } });
    const malformed = await api.call('POST', '/v1/jobs/action/run', { plugin: 'x' });
    expect(malformed.status).toBe(400);
  });

  it('lists plugins over HTTP', async () => {
    const res = await api.call('GET', '/v1/plugins');
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ plugins: expect.any(Array) });
  });

  it('reads a plugin action job by id, 404 for a download or an unknown id, 400 without id', async () => {
    const job = plugins.queue(
      api.core.jobs,
      { pluginName: 'demo', actionId: 'thumbs', label: 'Thumbnails', entityType: 'custom' },
      () => new Promise(() => undefined),
    );
    const res = await api.call('GET', `/v1/jobs/action/job?id=${job.id}`);
    expect(res.json()).toMatchObject({ id: job.id, source: 'plugin', pluginName: 'demo' });
    const download = (await api.call('GET', '/v1/jobs/queue')).json().jobs[0];
    expect((await api.call('GET', `/v1/jobs/action/job?id=${download.id}`)).status).toBe(404);
    expect((await api.call('GET', '/v1/jobs/action/job?id=00000000deadbeef')).status).toBe(404);
    expect((await api.call('GET', '/v1/jobs/action/job')).json().error.message).toContain('id');
    api.core.jobs.cancel(job.id);
  });
});

describe('library routes', () => {
  it('lists, gets and removes the resources of finished downloads, with 400 and 404', async () => {
    const list = (await api.call('GET', '/v1/library?limit=2')).json();
    expect(list).toMatchObject({ total: 5 });
    expect(list.resources).toHaveLength(2);
    const id = list.resources[0].id as number;
    expect((await api.call('GET', `/v1/library/${id}`)).json()).toMatchObject({ id });
    expect((await api.call('GET', '/v1/library/abc')).json().error.message).toContain('id');
    expect((await api.call('GET', '/v1/library/0')).status).toBe(400);
    expect((await api.call('GET', '/v1/library/999999')).status).toBe(404);
    expect((await api.call('GET', '/v1/library?limit=x')).status).toBe(400);
    expect((await api.call('DELETE', `/v1/library/${id}`)).json()).toEqual({ removed: true });
    expect((await api.call('GET', `/v1/library/${id}`)).status).toBe(404);
  });
});

describe('queues API counts', () => {
  it('splits pending into waiting and delayed (in a retry backoff), and names active work', () => {
    const counts = { pending: 5, downloading: 2, processing: 1, paused: 3, completed: 7, failed: 4, cancelled: 1 };
    expect(queuesApiCounts({ name: 'download', counts, retrying: 2 })).toEqual({
      ...counts,
      active: 3,
      waiting: 3,
      delayed: 2,
    });
    const plugin = { pending: 1, running: 2, completed: 0, failed: 0, cancelled: 0 };
    expect(queuesApiCounts({ name: 'plugin', counts: plugin, retrying: 0 })).toEqual({
      ...plugin,
      active: 2,
      waiting: 1,
      delayed: 0,
      paused: 0,
    });
    const task = { pending: 2, running: 1, suspending: 1, paused: 1, suspended: 2, completed: 3 };
    expect(queuesApiCounts({ name: 'task', counts: task, retrying: 1 })).toMatchObject({
      active: 2,
      waiting: 1,
      delayed: 1,
      paused: 3,
      completed: 3,
    });
  });
});
