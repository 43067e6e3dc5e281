/**
 * Seed 004 (the job-package API) under Haul's /v1: the seed's routes, create body, field
 * names and status filters beside Haul's own, where the names both use keep Haul's meaning
 * (progress 0-100, `eta` in seconds). The seed at its own paths, field for field, is
 * seed-004.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventually, expectError, expectShape, startSeedServer, type SeedServer } from './seed-kit';

const JobType = z.object({
  type_id: z.string(),
  description: z.string(),
  group: z.string(),
  name: z.string(),
  timeout_sec: z.number().int().min(0),
  max_retries: z.number().int().min(0),
  retry_delay_sec: z.number().min(0),
  params: z.unknown(),
  params_schema: z.string(),
  suspendable: z.boolean(),
});
const JobGroup = z.object({ name: z.string(), queue_name: z.string(), description: z.string() });
// The seed's job fields that Haul answers under the same names.
const Job = z.object({
  id: z.string(),
  type: z.string(),
  progress: z.number(),
  status: z.string(),
  error: z.unknown(),
  result: z.unknown(),
});

// The seed's Job fields Haul answers beside its own, under the seed's names.
const SeedJob = Job.extend({
  scheduled_at: z.number().int(),
  updated_at: z.number().int(),
  started_at: z.number().int().nullable(),
  eta: z.number().nullable(),
  progress_details: z.string().nullable(),
  timeout_sec: z.number().int().nullable(),
  max_retries: z.number().int().min(0),
  retry_delay_sec: z.number().int().nullable(),
  retries: z.number().int().min(0),
  idempotency_key: z.string().nullable(),
  params: z.string().nullable(),
});

let haul: SeedServer;
beforeAll(async () => {
  haul = await startSeedServer();
});
afterAll(() => haul.stop());

const create = async (body: Record<string, unknown>) => {
  const answer = await haul.call('POST', '/v1/jobs', { source: 'seed-004', ...body });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return expectShape(Job, answer.body, 'POST /v1/jobs');
};
const verb = (id: string, name: string) => haul.call('POST', `/v1/jobs/${id}/${name}`);

describe('seed 004: job types and groups', () => {
  it('GET /v1/job-types?page=1&limit=10 lists types with timeout, retries, delay, params and suspendable', async () => {
    await create({ name: 'Benchmark', type: 'benchmark', timeoutSec: 120, maxRetries: 3, retryDelaySec: 5 });
    const answer = await haul.call('GET', '/v1/job-types?page=1&limit=10');
    expect(answer.status).toBe(200);
    const { job_types: types } = expectShape(z.object({ job_types: z.array(JobType) }), answer.body, 'job types');
    expect(types.map((t) => t.type_id)).toEqual(expect.arrayContaining(['download', 'plugin:checksum:checksum']));
    expect(types.find((t) => t.type_id === 'benchmark')).toMatchObject({
      timeout_sec: 120,
      max_retries: 3,
      retry_delay_sec: 5,
      group: 'task',
    });
    const one = await haul.call('GET', '/v1/job-types/download');
    expect(expectShape(JobType, one.body, 'GET /v1/job-types/{id}').type_id).toBe('download');
    expectError(await haul.call('GET', '/v1/job-types/nope'), 404, 'not_found');
  });

  it('GET /v1/job-groups lists the groups with their queues; /v1/job-groups/{id} one', async () => {
    const answer = await haul.call('GET', '/v1/job-groups?page=1&limit=10');
    const { job_groups: groups } = expectShape(z.object({ job_groups: z.array(JobGroup) }), answer.body, 'groups');
    expect(groups.map((g) => g.name)).toEqual(['download', 'plugin', 'task']);
    const types = (await haul.call('GET', '/v1/job-types')).body.job_types as { group: string }[];
    for (const type of types) expect(groups.map((g) => g.name)).toContain(type.group);
    expect(expectShape(JobGroup, (await haul.call('GET', '/v1/job-groups/download')).body, 'group').queue_name).toBe(
      'download',
    );
    expectError(await haul.call('GET', '/v1/job-groups/compute'), 404, 'not_found');
  });
});

describe('seed 004: jobs', () => {
  it('GET /v1/jobs?page=&limit=&status=a,b&order=-scheduled_at lists newest first', async () => {
    const first = await create({ name: 'One', type: 'benchmark', start: true });
    const second = await create({ name: 'Two', type: 'benchmark', start: true });
    const answer = await haul.call('GET', '/v1/jobs?page=1&limit=10&status=running,completed&order=-scheduled_at');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const { jobs } = expectShape(z.object({ jobs: z.array(Job) }), answer.body, 'GET /v1/jobs');
    expect(jobs.slice(0, 2).map((j) => j.id)).toEqual([second.id, first.id]);
    const page2 = (await haul.call('GET', '/v1/jobs?page=2&limit=1&status=running&order=-scheduled_at')).body.jobs;
    expect(page2.map((j: { id: string }) => j.id)).toEqual([first.id]);
  });

  it('GET /v1/jobs/{id} answers the job; DELETE /v1/jobs/{id} removes it', async () => {
    const job = await create({ name: 'Read', type: 'benchmark' });
    expect(expectShape(Job, (await haul.call('GET', `/v1/jobs/${job.id}`)).body, 'GET /v1/jobs/{id}').id).toBe(job.id);
    expect((await haul.call('DELETE', `/v1/jobs/${job.id}`)).status).toBe(200);
    expectError(await haul.call('GET', `/v1/jobs/${job.id}`), 404, 'not_found');
  });

  it('POST /v1/jobs/{id}/suspend and /resume for a suspendable job; cancel; 409 when not suspendable', async () => {
    const job = await create({ name: 'Long', type: 'benchmark', suspendable: true, start: true });
    const suspended = await verb(job.id, 'suspend');
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(200);
    expect(['suspending', 'suspended']).toContain(suspended.body.status);
    // A running job stops at its next report, which tells it to suspend.
    const report = await haul.call('POST', `/v1/jobs/${job.id}/progress`, { progress: 10, state: { at: 10 } });
    expect(report.body.control).toBe('suspend');
    await eventually(
      async () => (await haul.call('GET', `/v1/jobs/${job.id}`)).body.status === 'suspended',
      'suspended',
    );
    expect((await verb(job.id, 'resume')).body.status).toBe('pending');
    expect((await verb(job.id, 'cancel')).body.status).toBe('cancelled');
    const plain = await create({ name: 'Plain', type: 'benchmark', start: true });
    expectError(await verb(plain.id, 'suspend'), 409, 'conflict');
  });

  it('ends a job that runs past its timeout as timeout, a final status', async () => {
    const job = await create({ name: 'Slow', type: 'benchmark', timeoutSec: 1, start: true });
    await eventually(async () => (await haul.call('GET', `/v1/jobs/${job.id}`)).body.status === 'timeout', 'timeout');
    const listed = (await haul.call('GET', '/v1/jobs?status=timeout')).body.jobs as { id: string }[];
    expect(listed.map((j) => j.id)).toContain(job.id);
  });

  it('refuses unknown statuses, order fields and parameters, naming them', async () => {
    expectError(await haul.call('GET', '/v1/jobs?status=queued,done'), 400, 'invalid_input', 'queued, done');
    expectError(await haul.call('GET', '/v1/jobs?order=-eta'), 400, 'invalid_input', 'order');
    expectError(await haul.call('GET', '/v1/jobs?tenant=x'), 400, 'invalid_input', 'tenant');
    expectError(await haul.call('GET', '/v1/jobs?page=0'), 400, 'invalid_input', 'page');
  });

  it("POST /v1/jobs takes the seed's body { type, idempotency_key, params, timeout_sec, max_retries, retry_delay_sec }", async () => {
    const body = {
      type: 'benchmark_llm',
      idempotency_key: '4b3c1f6e-0d5a-4f7b-9a61-2f0e8d7c6b5a',
      params: { model: 'small', runs: 3 },
      timeout_sec: 600,
      max_retries: 2,
      retry_delay_sec: 7,
    };
    const answer = await haul.call('POST', '/v1/jobs', body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const job = expectShape(Job, answer.body, 'POST /v1/jobs (seed body)');
    expect(answer.body).toMatchObject({
      type: 'benchmark_llm',
      name: 'benchmark_llm',
      idempotencyKey: body.idempotency_key,
      timeoutSec: 600,
      maxAttempts: 3,
      retryDelaySec: 7,
      metadata: { params: body.params },
    });
    // The same key, under either name, answers the first job.
    const again = await haul.call('POST', '/v1/jobs', { ...body, params: { other: true } });
    expect(again.body.id).toBe(job.id);
    const haulName = await haul.call('POST', '/v1/jobs', { name: 'x', idempotencyKey: body.idempotency_key });
    expect(haulName.body.id).toBe(job.id);
    const fresh = await haul.call('POST', '/v1/jobs', { type: 'benchmark_llm', idempotency_key: 'another-key' });
    expect(fresh.status).toBe(201);
    expect(fresh.body.id).not.toBe(job.id);
  });

  it('refuses a create body that gives one field under both names, naming it', async () => {
    const both = { type: 'benchmark', idempotency_key: 'k1', idempotencyKey: 'k1' };
    expectError(await haul.call('POST', '/v1/jobs', both), 400, 'invalid_input', 'idempotency_key');
    const retries = { type: 'benchmark', max_retries: 1, maxRetries: 1 };
    expectError(await haul.call('POST', '/v1/jobs', retries), 400, 'invalid_input', 'max_retries');
    const params = { type: 'benchmark', params: {}, metadata: { params: 1 } };
    expectError(await haul.call('POST', '/v1/jobs', params), 400, 'invalid_input', 'params');
    expectError(await haul.call('POST', '/v1/jobs', { type: 'benchmark', timeout_sec: 0 }), 400, 'invalid_input');
  });
  it('answers the job fields under the seed names, times in unix milliseconds', async () => {
    const before = Date.now();
    const created = await haul.call('POST', '/v1/jobs', {
      type: 'dataset',
      idempotency_key: 'fields-1',
      params: { rows: 10 },
      timeout_sec: 300,
      max_retries: 2,
      retry_delay_sec: 0,
    });
    const job = expectShape(SeedJob, created.body, 'POST /v1/jobs');
    expect(job).toMatchObject({
      started_at: null,
      eta: null,
      timeout_sec: 300,
      max_retries: 2,
      retry_delay_sec: 0,
      retries: 0,
      idempotency_key: 'fields-1',
    });
    expect(JSON.parse(job.params!)).toEqual({ rows: 10 });
    expect(job.scheduled_at).toBeGreaterThanOrEqual(before);
    expect(job.scheduled_at).toBeLessThanOrEqual(Date.now());
    await haul.call('POST', `/v1/jobs/${job.id}/start`);
    await haul.call('POST', `/v1/jobs/${job.id}/progress`, { progress: 30, message: 'Reading rows' });
    await haul.call('POST', `/v1/jobs/${job.id}/fail`, { message: 'disk full' });
    await haul.call('POST', `/v1/jobs/${job.id}/start`);
    const read = expectShape(SeedJob, (await haul.call('GET', `/v1/jobs/${job.id}`)).body, 'GET /v1/jobs/{id}');
    expect(read.retries).toBe(1);
    expect(read.started_at).toBeGreaterThanOrEqual(job.scheduled_at);
    expect(read.updated_at).toBeGreaterThanOrEqual(read.started_at!);
    expect(read.progress_details).toEqual(expect.any(String));
    const listed = (await haul.call('GET', '/v1/jobs?status=running&limit=100')).body.jobs;
    expectShape(z.array(SeedJob), listed, 'GET /v1/jobs');
    // A job created with Haul's names answers the seed's too; null where it has none.
    const haulBody = { source: 'seed-004', name: 'Plain', type: 'benchmark' };
    const plain = expectShape(SeedJob, (await haul.call('POST', '/v1/jobs', haulBody)).body, 'POST /v1/jobs');
    expect(plain).toMatchObject({ params: null, idempotency_key: null, timeout_sec: null, max_retries: 0 });
  });
  it("filters by the seed's status names: waiting is Haul's pending, canceled its cancelled", async () => {
    const waiting = await create({ name: 'Waits', type: 'statuses' });
    const cancelled = await create({ name: 'Stops', type: 'statuses' });
    expect((await verb(cancelled.id, 'cancel')).body.status).toBe('cancelled');
    const ids = async (status: string) => {
      const answer = await haul.call('GET', `/v1/jobs?type=statuses&status=${status}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return (answer.body.jobs as { id: string }[]).map((job) => job.id);
    };
    expect(await ids('waiting')).toEqual([waiting.id]);
    expect(await ids('waiting')).toEqual(await ids('pending'));
    expect(await ids('canceled')).toEqual([cancelled.id]);
    expect(await ids('waiting,canceled')).toEqual([cancelled.id, waiting.id]);
  });

  it('refuses the seed statuses Haul never produces, naming them', async () => {
    for (const status of ['initializing', 'resuming', 'canceling', 'locked', 'skipped']) {
      const answer = await haul.call('GET', `/v1/jobs?status=running,${status}`);
      expectError(answer, 400, 'invalid_input', `never puts a job in status ${status}`);
      expect(answer.body.error.details).toEqual({ field: 'status' });
    }
    expectError(await haul.call('GET', '/v1/jobs?status=locked,skipped'), 400, 'invalid_input', 'locked, skipped');
  });
});
