/**
 * Seed 004 (the job-package API) at its own paths: POST/GET /jobs, /jobs/{id} with cancel,
 * suspend, resume and DELETE, /job-types and /job-groups, walked against `haul serve`. Every
 * job is checked field for field against the seed's Job structure (strict: no field the seed
 * does not have), with its types: progress 0.0-1.0, times in unix milliseconds, error,
 * result and params as strings, its status names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventually, expectError, expectShape, startSeedServer, type SeedServer } from './seed-kit';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const millis = z.number().int().min(0);
const statuses = [
  'initializing',
  'waiting',
  'resuming',
  'running',
  'canceling',
  'suspending',
  'locked',
  'suspended',
  'skipped',
  'canceled',
  'failed',
  'timeout',
  'completed',
] as const;

// The seed's `type Job struct`, json tags and Go types; `omitempty` fields optional.
const Job = z
  .object({
    id: z.string().min(1),
    tenant_id: uuid,
    user_id: uuid,
    idempotency_key: z.string(),
    type: z.string().min(1),
    scheduled_at: millis,
    updated_at: millis,
    started_at: millis,
    eta: millis,
    locked_by: uuid,
    progress: z.number().min(0).max(1),
    progress_details: z.string(),
    status: z.enum(statuses),
    details: z.string(),
    timeout_sec: z.number().int().positive().optional(),
    max_retries: z.number().int().positive().optional(),
    retry_delay_sec: z.number().int().positive().optional(),
    retries: z.number().int().min(0),
    error: z.string().min(1).optional(),
    result: z.string().min(1).optional(),
    params: z.string().min(1).optional(),
  })
  .strict();
type Job = z.infer<typeof Job>;
const Page = { page: z.number().int(), limit: z.number().int(), total: z.number().int() };
const JobList = z.object({ ...Page, jobs: z.array(Job) }).strict();
const JobType = z.object({ type_id: z.string(), group: z.string(), timeout_sec: z.number(), max_retries: z.number() });
const JobGroup = z.object({ name: z.string(), queue_name: z.string(), description: z.string() });

let haul: SeedServer;
beforeAll(async () => {
  haul = await startSeedServer();
});
afterAll(() => haul.stop());

const schedule = async (body: Record<string, unknown>): Promise<Job> => {
  const answer = await haul.call('POST', '/jobs', body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return expectShape(Job, answer.body, 'POST /jobs');
};
const read = async (id: string): Promise<Job> => {
  const answer = await haul.call('GET', `/jobs/${id}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return expectShape(Job, answer.body, 'GET /jobs/{id}');
};
const list = async (query: string) => {
  const answer = await haul.call('GET', `/jobs${query}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return expectShape(JobList, answer.body, `GET /jobs${query}`);
};
const verb = (id: string, name: string) => haul.call('POST', `/jobs/${id}/${name}`);
// The creator reports on Haul's task routes (the seed runs its workers in-process; a Haul task's worker is its creator).
const report = (id: string, path: string, body?: unknown) => haul.call('POST', `/v1/jobs/${id}/${path}`, body);

describe('seed 004 at its own paths: jobs', () => {
  it('POST /jobs schedules from { type, idempotency_key, params }; the same key answers the same job', async () => {
    const before = Date.now();
    const key = '7d1c0a5e-3f2b-4c6d-8e9f-0a1b2c3d4e5f';
    const job = await schedule({ type: 'benchmark_llm', idempotency_key: key, params: { model: 'small' } });
    expect(job).toMatchObject({
      type: 'benchmark_llm',
      idempotency_key: key,
      status: 'waiting',
      progress: 0,
      started_at: 0,
      eta: 0,
      retries: 0,
      tenant_id: '00000000-0000-0000-0000-000000000000',
    });
    expect(JSON.parse(job.params!)).toEqual({ model: 'small' });
    expect(job.scheduled_at).toBeGreaterThanOrEqual(before);
    expect(job.scheduled_at).toBeLessThanOrEqual(Date.now());
    expect(job.error).toBeUndefined();
    expect((await schedule({ type: 'benchmark_llm', idempotency_key: key, params: {} })).id).toBe(job.id);
    expectError(await haul.call('POST', '/jobs', { type: 'x', timeout_sec: 0 }), 400, 'invalid_input');
    expectError(await haul.call('POST', '/jobs', { type: 'x', max_retries: 1, maxRetries: 1 }), 400, 'invalid_input');
  });

  it('answers progress from 0.0 to 1.0, progress_details, started_at, error and result as strings', async () => {
    const job = await schedule({ type: 'convert', params: { file: 'a.mkv' }, max_retries: 1, timeout_sec: 600 });
    expect(job).toMatchObject({ max_retries: 1, timeout_sec: 600 });
    await report(job.id, 'start');
    await report(job.id, 'progress', { progress: 40, message: 'Encoding' });
    const running = await read(job.id);
    expect(running).toMatchObject({ status: 'running', progress: 0.4, progress_details: 'Encoding' });
    expect(running.started_at).toBeGreaterThanOrEqual(job.scheduled_at);
    await report(job.id, 'fail', { message: 'disk full' });
    await report(job.id, 'start');
    const retried = await read(job.id);
    expect(retried.retries).toBe(1);
    await report(job.id, 'complete', { result: { frames: 1200 } });
    const done = await read(job.id);
    expect(done).toMatchObject({ status: 'completed', progress: 1 });
    expect(JSON.parse(done.result!)).toEqual({ frames: 1200 });

    const failing = await schedule({ type: 'convert' });
    await report(failing.id, 'start');
    await report(failing.id, 'fail', { message: 'codec missing' });
    expect(await read(failing.id)).toMatchObject({ status: 'failed', error: 'codec missing' });
  });

  it('answers a download job in the same shape: its URL as details, pause as suspended', async () => {
    const url = haul.fileUrl('held/seed-004.bin');
    const submitted = await haul.call('POST', '/v1/jobs/download/submit', { url });
    const id = submitted.body.jobs[0].id as string;
    await eventually(async () => (await read(id)).status === 'running', 'download running');
    const running = await read(id);
    expect(running).toMatchObject({ type: 'download', details: url });
    expect((await haul.call('POST', `/v1/jobs/${id}/pause`)).status).toBe(200);
    await eventually(async () => (await read(id)).status === 'suspended', 'download paused');
    expect((await verb(id, 'cancel')).status).toBe(200);
    expect((await read(id)).status).toBe('canceled');
  });

  it('GET /jobs?page=&limit=&status=a,b&order=-scheduled_at pages newest first, with the total', async () => {
    const first = await schedule({ type: 'listing' });
    const second = await schedule({ type: 'listing' });
    await report(first.id, 'start');
    await report(second.id, 'start');
    const page = await list('?page=1&limit=10&status=running,completed&order=-scheduled_at');
    expect(page).toMatchObject({ page: 1, limit: 10 });
    expect(page.jobs.slice(0, 2).map((j) => j.id)).toEqual([second.id, first.id]);
    expect(page.jobs.every((j) => ['running', 'completed'].includes(j.status))).toBe(true);
    const second2 = await list('?page=2&limit=1&status=running&order=-scheduled_at');
    expect(second2.jobs.map((j) => j.id)).toEqual([first.id]);
    expect(second2.total).toBeGreaterThanOrEqual(2);
    const oldest = await list('?limit=1&order=scheduled_at');
    expect(oldest.jobs[0]!.scheduled_at).toBeLessThanOrEqual(first.scheduled_at);
    expect((await list('')).limit).toBe(100);
  });

  it('takes every seed status in a filter: those Haul never produces match nothing; others are refused, named', async () => {
    const waiting = await schedule({ type: 'statuses' });
    expect((await list('?status=waiting')).jobs.map((j) => j.id)).toContain(waiting.id);
    for (const status of ['initializing', 'resuming', 'canceling', 'locked', 'skipped']) {
      expect(await list(`?status=${status}`)).toMatchObject({ total: 0, jobs: [] });
    }
    expectError(await haul.call('GET', '/jobs?status=queued,done'), 400, 'invalid_input', 'queued, done');
    expectError(await haul.call('GET', '/jobs?status=pending'), 400, 'invalid_input', 'pending');
    expectError(await haul.call('GET', '/jobs?order=-eta'), 400, 'invalid_input', 'order');
    expectError(await haul.call('GET', '/jobs?tenant=x'), 400, 'invalid_input', 'tenant');
    expectError(await haul.call('GET', '/jobs?page=0'), 400, 'invalid_input', 'page');
  });

  it('POST /jobs/{id}/suspend and /resume for a suspendable job, /cancel; 409 when it cannot suspend', async () => {
    const job = await schedule({ type: 'sync', suspendable: true, start: true });
    expect((await verb(job.id, 'suspend')).status).toBe(200);
    expect((await report(job.id, 'progress', { progress: 10, state: { at: 10 } })).body.control).toBe('suspend');
    await eventually(async () => (await read(job.id)).status === 'suspended', 'suspended');
    const resumed = await verb(job.id, 'resume');
    expect(expectShape(Job, resumed.body, 'POST /jobs/{id}/resume').status).toBe('waiting');
    const cancelled = await verb(job.id, 'cancel');
    expect(expectShape(Job, cancelled.body, 'POST /jobs/{id}/cancel').status).toBe('canceled');
    const plain = await schedule({ type: 'sync', start: true });
    expectError(await verb(plain.id, 'suspend'), 409, 'conflict');
    expectError(await verb('0123456789abcdef', 'cancel'), 404, 'not_found');
  });

  it('ends a job past its timeout_sec as timeout', async () => {
    const job = await schedule({ type: 'slow', timeout_sec: 1, start: true });
    await eventually(async () => (await read(job.id)).status === 'timeout', 'timeout');
    expect((await list('?status=timeout')).jobs.map((j) => j.id)).toContain(job.id);
  });

  it('DELETE /jobs/{id} removes the job; reading it again is a 404', async () => {
    const job = await schedule({ type: 'cleanup' });
    expect((await haul.call('DELETE', `/jobs/${job.id}`)).status).toBe(200);
    expectError(await haul.call('GET', `/jobs/${job.id}`), 404, 'not_found');
  });

  it('needs the API token like every other route', async () => {
    for (const path of ['/jobs', '/jobs/abc', '/job-types', '/job-groups/download']) {
      const answer = await fetch(`${haul.url}${path}`);
      expect(answer.status, path).toBe(401);
    }
  });
});

describe('seed 004 at its own paths: job types and groups', () => {
  it('GET /job-types and /job-groups page as { page, limit, total, job_types | job_groups }', async () => {
    await schedule({ type: 'benchmark', timeout_sec: 120, max_retries: 3, retry_delay_sec: 5 });
    const types = expectShape(
      z.object({ ...Page, job_types: z.array(JobType) }),
      (await haul.call('GET', '/job-types?page=1&limit=10')).body,
      'GET /job-types',
    );
    expect(types.job_types.map((t) => t.type_id)).toEqual(expect.arrayContaining(['download', 'benchmark']));
    expect(expectShape(JobType, (await haul.call('GET', '/job-types/benchmark')).body, 'type')).toMatchObject({
      timeout_sec: 120,
      max_retries: 3,
    });
    const groups = expectShape(
      z.object({ ...Page, job_groups: z.array(JobGroup) }),
      (await haul.call('GET', '/job-groups')).body,
      'GET /job-groups',
    );
    expect(groups.job_groups.map((g) => g.name)).toEqual(['download', 'plugin', 'task']);
    expect((await haul.call('GET', '/job-groups/task')).body.queue_name).toBe('task');
    expectError(await haul.call('GET', '/job-types/nope'), 404, 'not_found');
  });
});
