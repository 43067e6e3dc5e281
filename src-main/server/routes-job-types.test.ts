import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './test-support';

const bundledPluginsDir = fileURLToPath(new URL('../../resources/plugins', import.meta.url));

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({
    core: { bundledPluginsDir, jobs: { pluginTimeoutMs: 42_000, backoff: { baseMs: 2500 } } },
  });
  await api.core.plugins.ready;
});
afterAll(() => api.close());

type ApiType = { type_id: string; [field: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
const types = async (query = ''): Promise<ApiType[]> =>
  (await api.call('GET', `/v1/job-types${query}`)).json().job_types;

describe('GET /v1/job-types (job-package API)', () => {
  it('lists downloads and each async plugin action with their parameters, timeout and retry policy', async () => {
    const listed = await types();
    const download = listed.find((t) => t.type_id === 'download')!;
    expect(download).toMatchObject({ group: 'download', timeout_sec: 0, max_retries: 4, retry_delay_sec: 2.5 });
    expect(download.params.required).toEqual(['url']);
    expect(JSON.parse(download.params_schema)).toEqual(download.params);

    const checksum = listed.find((t) => t.type_id === 'plugin:checksum:checksum')!;
    expect(checksum).toMatchObject({ name: 'Compute checksum', group: 'plugin', source: 'checksum', timeout_sec: 42 });
    expect(checksum.params.properties.algorithm).toMatchObject({ type: 'string', enum: ['sha256', 'sha1', 'md5'] });
    // Only async actions become jobs: a sync one answers at once and is no job type.
    const actions = (await api.call('GET', '/v1/actions?entityType=resource')).json().actions;
    const asyncIds = actions
      .filter((a: { async: boolean }) => a.async)
      .map((a: any) => `plugin:${a.pluginName}:${a.id}`); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(listed.map((t) => t.type_id).filter((id) => id.startsWith('plugin:'))).toEqual(
      expect.arrayContaining(asyncIds),
    );
  });

  it('follows the settings and the enabled plugins', async () => {
    await api.call('PATCH', '/v1/settings', { defaultMaxAttempts: 7 });
    expect((await types()).find((t) => t.type_id === 'download')!.max_retries).toBe(6);
    await api.call('POST', '/v1/plugins/checksum/disable');
    expect((await types()).some((t) => t.type_id === 'plugin:checksum:checksum')).toBe(false);
    await api.call('POST', '/v1/plugins/checksum/enable');
    expect((await types()).some((t) => t.type_id === 'plugin:checksum:checksum')).toBe(true);
  });

  it('adds each task type seen, described by its newest task', async () => {
    const create = (body: Record<string, unknown>) => api.call('POST', '/v1/jobs', body);
    expect((await create({ name: 'Nightly', type: 'backup', source: 'cron', timeoutSec: 60 })).status).toBe(201);
    const newest = { name: 'Weekly', type: 'backup', source: 'cron', timeoutSec: 600, maxRetries: 2 };
    expect((await create({ ...newest, retryDelaySec: 30, suspendable: true })).status).toBe(201);
    const backup = (await types()).find((t) => t.type_id === 'backup')!;
    expect(backup).toMatchObject({
      group: 'task',
      source: 'cron',
      timeout_sec: 600,
      max_retries: 2,
      retry_delay_sec: 30,
      suspendable: true,
    });
    expect(backup.params.required).toEqual(['name']);
  });

  it('pages, answers one type by id, 404 for an unknown one and 400 naming an unknown parameter', async () => {
    const all = await types();
    const page = (await api.call('GET', '/v1/job-types?page=2&limit=1')).json();
    expect(page).toMatchObject({ page: 2, limit: 1, total: all.length });
    expect(page.job_types).toEqual([all[1]]);
    const one = await api.call('GET', `/v1/job-types/${encodeURIComponent(all[1]!.type_id)}`);
    expect(one.json()).toEqual(all[1]);
    const missing = await api.call('GET', '/v1/job-types/nope');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ error: { kind: 'not_found', message: expect.stringContaining('nope') } });
    const unknown = await api.call('GET', '/v1/job-types?pageSize=5');
    expect(unknown.status).toBe(400);
    expect(unknown.json().error).toMatchObject({ kind: 'invalid_input', details: { field: 'pageSize' } });
  });
});

describe('GET /v1/job-groups (job-package API)', () => {
  it('has one group per queue with its capacity from the settings', async () => {
    await api.call('PATCH', '/v1/settings', { maxConcurrentDownloads: 5 });
    const { job_groups: groups, total } = (await api.call('GET', '/v1/job-groups')).json();
    expect(total).toBe(3);
    expect(groups).toEqual([
      { name: 'download', queue_name: 'download', description: expect.any(String), capacity: 5 },
      { name: 'plugin', queue_name: 'plugin', description: expect.any(String), capacity: 3 },
      { name: 'task', queue_name: 'task', description: expect.any(String), capacity: null },
    ]);
    expect((await api.call('GET', '/v1/job-groups/plugin')).json()).toEqual(groups[1]);
    expect((await api.call('GET', '/v1/job-groups/compute')).status).toBe(404);
  });
});
