import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, quickRunner, rebuildState, SseReader, startTestApi, type TestApi } from './test-support';
import { Job } from '../../src-common/contract';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ runner: quickRunner, core: { jobs: { throttleMs: { download: 5, plugin: 5 } } } });
  await api.call('PATCH', '/v1/settings', { maxConcurrentDownloads: 10 });
});
afterAll(() => api.close());

describe('50 event streams while 500 downloads run', () => {
  it('rebuilds, on every client, exactly the list GET /v1/jobs answers', async () => {
    const clients = Array.from(
      { length: 50 },
      () => new SseReader(api.server.port, '/v1/jobs/events', { Authorization: `Bearer ${api.token}` }),
    );
    await eventually(() => clients.every((c) => c.events.length > 0), 'every init', 2000);

    // Some in bulk (one burst of 100 `added` each), some one by one, some paused and resumed.
    for (let batch = 0; batch < 4; batch += 1) {
      const urls = Array.from({ length: 100 }, (_, i) => `https://example.com/bulk-${batch}-${i}.bin`);
      const res = await api.call('POST', '/v1/jobs/download/submit', { url: urls.join('\n') });
      expect(res.json().jobs).toHaveLength(100);
    }
    const paused: string[] = [];
    for (let i = 0; i < 100; i += 1) {
      const res = await api.call('POST', '/v1/jobs/download/submit', {
        url: `https://example.com/one-${i}.bin`,
        paused: i % 2 === 0,
      });
      if (i % 2 === 0) paused.push(res.json().jobs[0].id);
    }
    for (const id of paused.slice(0, 25)) await api.call('POST', '/v1/jobs/resume', { id });
    for (const id of paused.slice(25, 30)) await api.call('DELETE', `/v1/jobs/${id}`);

    await eventually(
      async () => {
        const list = (await api.call('GET', '/v1/jobs?status=pending,downloading,processing')).json();
        return list.total === 0;
      },
      'every download to settle',
      3000,
    );
    const truth = (await api.call('GET', '/v1/jobs?limit=1000')).json();
    expect(truth.total).toBe(495);
    // The REST list adds the seeds' names beside Haul's fields; events carry Haul's only, which
    // the contract's schema keeps (it drops keys it does not know).
    const expected = new Map<string, unknown>(
      (truth.jobs as unknown[]).map((entry) => {
        const job = Job.parse(entry);
        return [job.id, job];
      }),
    );

    const last = api.core.jobs.hub.lastEventId;
    await eventually(() => clients.every((c) => c.lastId >= last), 'every client to catch up', 3000);
    for (const [index, client] of clients.entries()) {
      const state = rebuildState(client.events);
      expect(state.size, `client ${index}`).toBe(expected.size);
      expect(state, `client ${index}`).toEqual(expected);
    }
    // Slow clients were resynchronised with a fresh init rather than left with holes.
    const inits = clients.reduce((sum, c) => sum + c.events.filter((e) => e.event === 'init').length, 0);
    expect(inits).toBeGreaterThanOrEqual(50);
    for (const client of clients) client.close();
  });
});
