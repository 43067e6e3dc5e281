import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildOpenApi } from './openapi';
import { taskRoutes } from './route-table-tasks';
import { startTestApi, type TestApi } from './test-support';

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi();
});
afterEach(async () => {
  await api.close();
});

const backup = { name: 'Backup photos', type: 'backup', source: 'backup.sh', metadata: { host: 'nas' } };

describe('task routes (bare answers)', () => {
  it('POST /v1/jobs creates a task and answers it bare with 201; the same key answers the same task', async () => {
    const res = await api.call('POST', '/v1/jobs', { ...backup, idempotencyKey: 'photos-1', start: true });
    expect(res.status).toBe(201);
    const job = res.json();
    expect(job).not.toHaveProperty('ok');
    expect(job).toMatchObject({
      source: 'task',
      creator: 'backup.sh',
      status: 'running',
      control: 'continue',
      metadata: { host: 'nas' },
    });
    expect(job.id).toMatch(/^[0-9a-f]{16}$/);
    const again = await api.call('POST', '/v1/jobs', { ...backup, idempotencyKey: 'photos-1' });
    expect(again.json().id).toBe(job.id);
    const list = (await api.call('GET', '/v1/jobs?source=task')).json();
    expect(JSON.stringify(list)).toContain(job.id);
  });

  it('progress merges metadata and carries control; a pause from another client reaches the creator', async () => {
    const job = (await api.call('POST', '/v1/jobs', { ...backup, start: true })).json();
    const first = await api.call('POST', `/v1/jobs/${job.id}/progress`, {
      progress: 30,
      message: 'Copying',
      metadata: { file: 'a.jpg' },
    });
    expect(first.status).toBe(200);
    expect(first.json()).toMatchObject({ progress: 30, control: 'continue', metadata: { host: 'nas', file: 'a.jpg' } });
    expect((await api.call('POST', `/v1/jobs/${job.id}/pause`)).status).toBe(200);
    expect((await api.call('POST', `/v1/jobs/${job.id}/progress`, { progress: 31 })).json()).toMatchObject({
      status: 'paused',
      control: 'pause',
    });
    await api.call('POST', `/v1/jobs/${job.id}/resume`);
    const done = await api.call('POST', `/v1/jobs/${job.id}/complete`, { result: { files: 12 } });
    expect(done.json()).toMatchObject({ status: 'completed', progress: 100, result: { files: 12 } });
  });

  it('answers errors as { error: { kind, message } } with the status of the kind', async () => {
    const job = (await api.call('POST', '/v1/jobs', { ...backup, start: true })).json();
    const suspend = await api.call('POST', `/v1/jobs/${job.id}/suspend`);
    expect(suspend.status).toBe(409);
    expect(suspend.json()).toEqual({
      error: { kind: 'conflict', message: expect.stringMatching(/suspendable: true/) },
    });
    const bad = await api.call('POST', `/v1/jobs/${job.id}/progress`, { progress: 140 });
    expect(bad.status).toBe(400);
    expect(bad.json().error).toMatchObject({ kind: 'invalid_input', details: { field: 'progress' } });
    const missing = await api.call('POST', '/v1/jobs/0123456789abcdef/complete', {});
    expect(missing.status).toBe(404);
    expect(missing.json().error.kind).toBe('not_found');
    const noName = await api.call('POST', '/v1/jobs', { type: 'backup' });
    expect(noName.status).toBe(400);
    expect(noName.json().error.details).toEqual({ field: 'name' });
  });

  it('fail with retries left waits the retry delay; suspend of a suspendable task stops it at its next report', async () => {
    const job = (
      await api.call('POST', '/v1/jobs', { ...backup, start: true, maxRetries: 1, retryDelaySec: 60 })
    ).json();
    const failed = (await api.call('POST', `/v1/jobs/${job.id}/fail`, { message: 'share offline' })).json();
    expect(failed).toMatchObject({ status: 'pending', error: { kind: 'reported', message: 'share offline' } });
    expect((await api.call('POST', `/v1/jobs/${job.id}/start`, {})).status).toBe(409);

    const long = (await api.call('POST', '/v1/jobs', { ...backup, suspendable: true, start: true })).json();
    expect((await api.call('POST', `/v1/jobs/${long.id}/suspend`)).json()).toMatchObject({ status: 'suspending' });
    const stopped = (await api.call('POST', `/v1/jobs/${long.id}/progress`, { state: { offset: 42 } })).json();
    expect(stopped).toMatchObject({ status: 'suspended', control: 'suspend', state: { offset: 42 } });
  });
});

describe('task routes in the OpenAPI document', () => {
  it('lists each with its body (id in the path) and the bare error shape', () => {
    const doc = buildOpenApi('1.0.0') as unknown as { paths: Record<string, Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const route of taskRoutes) {
      const op = doc.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
      expect(op, route.url).toBeDefined();
      expect(op.responses.default.content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    }
    const progress = doc.paths['/v1/jobs/{id}/progress']!.post;
    expect(Object.keys(progress.requestBody.content['application/json'].schema.properties)).toEqual([
      'progress',
      'message',
      'metadata',
      'state',
    ]);
  });
});
