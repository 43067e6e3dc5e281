import { describe, expect, it } from 'vitest';
import { commandNames } from '../../src-common/contract';
import { buildOpenApi } from './openapi';
import { commandRoutes } from './route-table';
import { startTestApi } from './test-support';

type Doc = { paths: Record<string, Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('GET /v1/openapi.json', () => {
  const doc = buildOpenApi('9.9.9') as unknown as Doc;

  it('describes every REST route, every RPC command, the stream and the ticket route', () => {
    for (const route of commandRoutes) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${route.url}`).toBeDefined();
    }
    for (const name of commandNames) expect(doc.paths[`/v1/rpc/${name}`]?.post, name).toBeDefined();
    expect(doc.paths['/v1/jobs/events']?.get).toBeDefined();
    expect(doc.paths['/v1/auth/ticket']?.post).toBeDefined();
    expect(doc.paths['/v1/jobs/queues/{name}']?.get.parameters.map((p: { name: string }) => p.name)).toEqual([
      'name',
      'status',
      'page',
      'limit',
    ]);
  });

  it('describes every route the server answers, static files aside', async () => {
    const api = await startTestApi();
    try {
      const missing = api.server.routes
        .map((route) => route.split(' ') as [string, string])
        .filter(([, url]) => url !== '/v1/rpc/:command') // a path per command, checked above
        .filter(
          ([, url]) =>
            url.startsWith('/v1/') || url.startsWith('/api/') || url.startsWith('/job') || url === '/healthz',
        )
        .filter(([method, url]) => !doc.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()]);
      expect(missing).toEqual([]);
      expect(api.server.routes).toContain('GET /jobs/:id');
    } finally {
      await api.close();
    }
  });

  it('says 201 where a route answers 201', () => {
    for (const path of ['/v1/jobs', '/api/v1/jobs', '/jobs']) {
      expect(Object.keys(doc.paths[path]!.post.responses), path).toEqual(['201', 'default']);
    }
  });

  it("takes its shapes from the contract's zod schemas", () => {
    const submit = doc.paths['/v1/jobs/download/submit']!.post;
    const body = submit.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['url']);
    expect(body.properties.connections).toMatchObject({ type: 'integer', minimum: 1, maximum: 16 });
    expect(body.additionalProperties).toBe(false);
    const list = doc.paths['/v1/jobs']!.get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['status', 'source', 'type', 'limit', 'offset', 'order']),
    );
    const remove = doc.paths['/v1/jobs/{id}']!.delete;
    expect(remove.parameters.filter((p: { name: string }) => p.name === 'id')).toHaveLength(1);
    expect(doc.paths['/healthz']!.get.security).toEqual([]);
  });

  it('describes REST answers bare with { error } refusals, and only the RPC routes in the envelope', () => {
    for (const path of [
      '/v1/job-types',
      '/v1/job-groups',
      '/v1/jobs/ws',
      '/v1/job-types/{id}',
      '/v1/job-groups/{id}',
    ]) {
      expect(doc.paths[path]?.get, path).toBeDefined();
    }
    const types = doc.paths['/v1/job-types']!.get;
    expect(types.responses['200'].content['application/json'].schema.properties).toHaveProperty('job_types');
    expect(types.responses.default.content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    const queue = doc.paths['/v1/jobs/queue']!.get.responses['200'].content['application/json'].schema;
    expect(queue.properties).toHaveProperty('jobs');
    const rpc = doc.paths['/v1/rpc/jobs.get']!.post;
    expect(rpc.responses['200'].content['application/json'].schema.required).toEqual(['ok', 'value']);
    expect(rpc.responses.default.content['application/json'].schema.$ref).toBe('#/components/schemas/ErrorEnvelope');
    const detail = doc.paths['/v1/jobs/queues/{name}']!.get.responses['200'].content['application/json'].schema;
    expect(detail.properties.jobs.items.required).toEqual(expect.arrayContaining(['state', 'failedReason']));
  });

  it("describes POST /v1/jobs with the job-package body and the seed's job fields in every task answer", () => {
    const create = doc.paths['/v1/jobs']!.post;
    const body = create.requestBody.content['application/json'].schema;
    expect(body.properties).toHaveProperty('name');
    expect(body.required ?? []).not.toContain('name');
    for (const field of ['idempotency_key', 'params', 'timeout_sec', 'max_retries', 'retry_delay_sec']) {
      expect(body.properties, field).toHaveProperty(field);
    }
    expect(body.additionalProperties).toBe(false);
    const answer = JSON.stringify(create.responses['201'] ?? create.responses['200']);
    for (const field of ['jobId', 'scheduled_at', 'started_at', 'progress_details', 'retries', 'idempotency_key']) {
      expect(answer, field).toContain(`"${field}"`);
    }
    const list = JSON.stringify(doc.paths['/v1/jobs']!.get.responses['200']);
    expect(list).toContain('"scheduled_at"');
  });

  it("describes the seeds' own paths in their shapes", () => {
    for (const [method, path] of [
      ['get', '/api/v1/jobs'],
      ['post', '/api/v1/jobs'],
      ['get', '/api/v1/jobs/{jobId}'],
      ['delete', '/api/v1/jobs/cleanup'],
      ['get', '/api/jobs'],
      ['get', '/api/jobs/{id}'],
      ['post', '/api/jobs/{id}/cancel'],
      ['delete', '/api/jobs/{id}'],
      ['get', '/api/admin/users/{userId}/jobs'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    const list = doc.paths['/api/v1/jobs']!.get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual([
      'status',
      'type',
      'source',
      'limit',
      'offset',
    ]);
    const listed = list.responses['200'].content['application/json'].schema;
    expect(listed.required).toEqual(['success', 'data']);
    expect(listed.properties.data.items.required).toEqual(expect.arrayContaining(['jobId', 'source', 'createdAt']));
    const one = doc.paths['/api/jobs/{id}']!.get.responses['200'].content['application/json'].schema;
    expect(one.required).toEqual(expect.arrayContaining(['user_id', 'urls', 'output', 'return_code', 'created_at']));
  });

  it('is served behind the token', async () => {
    const api = await startTestApi();
    try {
      const res = await api.call('GET', '/v1/openapi.json');
      expect(res.json()).toMatchObject({ openapi: '3.1.0', info: { version: '1.2.3' } });
    } finally {
      await api.close();
    }
  });
});
