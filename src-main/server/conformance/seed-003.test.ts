/**
 * Seed 003 (the job-queue API): jobs that scripts and plugins create and drive, listed and
 * filtered, cleaned up, and pushed over the WebSocket, against `haul serve`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import { eventually, expectError, expectShape, startSeedServer, type SeedServer } from './seed-kit';

const status = z.enum(['pending', 'running', 'completed', 'failed', 'cancelled']);
const SeedJob = z.object({
  jobId: z.string(),
  name: z.string(),
  description: z.string(),
  type: z.string(),
  status,
  progress: z.number().min(0).max(100),
  iconSvg: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  result: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(), // completed_at
  creator: z.string(), // the seed's `source` (Haul's `source` is the kind of job: "task")
});
const Update = z.object({
  type: z.literal('job_update'),
  job: z.object({ jobId: z.string(), name: z.string(), status, progress: z.number() }),
});
const icon = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M3 3h18v18H3z"/></svg>';

let haul: SeedServer;
let socket: WebSocket;
const messages: unknown[] = [];
beforeAll(async () => {
  haul = await startSeedServer();
  socket = new WebSocket(`ws://127.0.0.1:${haul.port}/v1/jobs/ws`, {
    headers: { Authorization: `Bearer ${haul.token}` },
  });
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
});
afterAll(async () => {
  socket.terminate();
  await haul.stop();
});

const create = async (body: Record<string, unknown>) => {
  const answer = await haul.call('POST', '/v1/jobs', body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return expectShape(SeedJob, answer.body, 'POST /v1/jobs');
};
const step = async (id: string, verb: string, body: Record<string, unknown> = {}) => {
  const answer = await haul.call('POST', `/v1/jobs/${id}/${verb}`, body);
  expect(answer.status, `${verb}: ${JSON.stringify(answer.body)}`).toBe(200);
  return expectShape(SeedJob, answer.body, `POST /v1/jobs/:id/${verb}`);
};

describe('seed 003: creating and driving a job', () => {
  it('start, updateProgress with merged metadata, complete with a result', async () => {
    const job = await create({
      name: 'Backup Database',
      description: 'Creating full database backup',
      type: 'backup',
      source: 'backup-plugin',
      iconSvg: icon,
      metadata: { backupType: 'full', compression: true },
    });
    expect(job).toMatchObject({ status: 'pending', progress: 0, creator: 'backup-plugin', iconSvg: icon });
    expect((await step(job.jobId, 'start')).status).toBe('running');
    const half = await step(job.jobId, 'progress', { progress: 50, metadata: { currentTable: 'table_50' } });
    expect(half.progress).toBe(50);
    expect(half.metadata).toEqual({ backupType: 'full', compression: true, currentTable: 'table_50' });
    const done = await step(job.jobId, 'complete', { result: { backupFile: '/backups/db.sql.gz' } });
    expect(done).toMatchObject({ status: 'completed', result: { backupFile: '/backups/db.sql.gz' } });
    expect(done.finishedAt).toBeGreaterThanOrEqual(done.startedAt!);

    const isDone = (m: unknown) => {
      const update = Update.safeParse(m);
      return update.success && update.data.job.jobId === job.jobId && update.data.job.status === 'completed';
    };
    await eventually(() => messages.some(isDone), 'job_update to completed on the WebSocket');
    for (const message of messages.filter((m) => (m as { job: { jobId: string } }).job.jobId === job.jobId)) {
      expectShape(Update, message, 'a WebSocket message');
    }
  });

  it('fail with a message, and cancel', async () => {
    const failing = await create({ name: 'Sync Remote Data', type: 'sync', source: 'sync-plugin' });
    await step(failing.jobId, 'start');
    const failed = await haul.call('POST', `/v1/jobs/${failing.jobId}/fail`, { message: 'API timeout' });
    expect(expectShape(SeedJob, failed.body, 'fail').status).toBe('failed');
    // The seed's error_message.
    expect(failed.body.error).toMatchObject({ message: 'API timeout' });
    const cancelling = await create({ name: 'Export Users', type: 'export', source: 'admin-ui' });
    expect((await step(cancelling.jobId, 'cancel')).status).toBe('cancelled');
  });
});

describe('seed 003: listing and cleanup', () => {
  it('GET /v1/jobs filters by status and type, pages with limit and offset (100 by default)', async () => {
    const running = await create({ name: 'Import Products', type: 'import', source: 'shop' });
    await step(running.jobId, 'start');
    const answer = await haul.call('GET', '/v1/jobs?status=running&type=import&limit=50');
    expect(answer.status).toBe(200);
    const { jobs } = expectShape(z.object({ jobs: z.array(SeedJob) }), answer.body, 'GET /v1/jobs');
    expect(jobs.map((j) => j.jobId)).toEqual([running.jobId]);
    const all = (await haul.call('GET', '/v1/jobs')).body;
    expect(all.jobs.length).toBe(Math.min(all.total, 100));
    const second = (await haul.call('GET', '/v1/jobs?limit=1&offset=1')).body.jobs;
    expect(second.map((j: { id: string }) => j.id)).toEqual([all.jobs[1].id]);
  });

  it('GET /v1/jobs/:jobId answers the job', async () => {
    const job = await create({ name: 'Read me', type: 'process', source: 'script' });
    const read = expectShape(SeedJob, (await haul.call('GET', `/v1/jobs/${job.jobId}`)).body, 'GET /v1/jobs/:jobId');
    expect(read).toMatchObject({ jobId: job.jobId, name: 'Read me', type: 'process' });
  });

  it('DELETE /v1/jobs/cleanup?daysOld= removes finished jobs older than that', async () => {
    const answer = await haul.call('DELETE', '/v1/jobs/cleanup?daysOld=0');
    expect(answer.status).toBe(200);
    expect(answer.body.removed).toBeGreaterThanOrEqual(3);
    const left = (await haul.call('GET', '/v1/jobs?status=completed,failed,cancelled')).body.total;
    expect(left).toBe(0);
    expectError(await haul.call('DELETE', '/v1/jobs/cleanup?daysOld=old'), 400, 'invalid_input', 'daysOld');
  });

  it('refuses an unknown status, type of value or parameter, naming it', async () => {
    expectError(await haul.call('GET', '/v1/jobs?status=queued'), 400, 'invalid_input', 'queued');
    expectError(await haul.call('GET', '/v1/jobs?limit=lots'), 400, 'invalid_input', 'limit');
    expectError(await haul.call('GET', '/v1/jobs?author=me'), 400, 'invalid_input', 'author');
    expectError(await haul.call('POST', '/v1/jobs', { type: 'import' }), 400, 'invalid_input', 'name');
  });
});

// The seed's own paths and shapes: `{ success, data }`, `source` the creator, createdAt "YYYY-MM-DD HH:MM:SS".
const seedTime = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
const ApiJob = z.object({
  id: z.string(),
  jobId: z.string(),
  name: z.string(),
  description: z.string(),
  type: z.string(),
  status,
  progress: z.number().min(0).max(100),
  iconSvg: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  errorMessage: z.string().nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  source: z.string(),
  createdAt: seedTime,
  startedAt: seedTime.nullable(),
  completedAt: seedTime.nullable(),
});
const ok = <T extends z.ZodType>(data: T) => z.object({ success: z.literal(true), data });

describe('seed 003: the seed paths under /api/v1/jobs', () => {
  it('POST /api/v1/jobs creates a job from the seed body; GET /api/v1/jobs/:jobId reads it', async () => {
    const body = {
      name: 'Export Users',
      type: 'export',
      description: 'Exporting all users to CSV',
      source: 'admin-ui',
    };
    const created = await haul.call('POST', '/api/v1/jobs', body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const job = expectShape(ok(ApiJob), created.body, 'POST /api/v1/jobs').data;
    expect(job).toMatchObject({ ...body, status: 'pending', progress: 0 });
    const read = await haul.call('GET', `/api/v1/jobs/${job.jobId}`);
    expect(expectShape(ok(ApiJob), read.body, 'GET /api/v1/jobs/:jobId').data).toEqual(job);
    expectError(await haul.call('GET', '/api/v1/jobs/0badf00d'), 404, 'not_found');
    expectError(await haul.call('POST', '/api/v1/jobs', { type: 'export' }), 400, 'invalid_input', 'name');
  });

  it('GET /api/v1/jobs answers { success: true, data } filtered by status, type, source (the creator) and limit', async () => {
    const mine = await create({ name: 'Import A', type: 'import', source: 'shop-sync' });
    await step(mine.jobId, 'start');
    await create({ name: 'Import B', type: 'import', source: 'other-plugin' });
    const answer = await haul.call('GET', '/api/v1/jobs?status=running&type=import&source=shop-sync&limit=50');
    expect(answer.status).toBe(200);
    const { data } = expectShape(ok(z.array(ApiJob)), answer.body, 'GET /api/v1/jobs');
    expect(data.map((j) => j.jobId)).toEqual([mine.jobId]);
    expect(data[0]).toMatchObject({ source: 'shop-sync', status: 'running' });
    // Haul's own list names the same filter `creator` (its `source` is the kind of job).
    const byCreator = (await haul.call('GET', '/v1/jobs?creator=shop-sync')).body.jobs;
    expect(byCreator.map((j: { id: string }) => j.id)).toEqual([mine.jobId]);
    const bySource = (await haul.call('GET', '/api/v1/jobs?source=other-plugin')).body.data;
    expect(bySource.map((j: { name: string }) => j.name)).toEqual(['Import B']);
    expect((await haul.call('GET', '/api/v1/jobs?limit=1')).body.data).toHaveLength(1);
    expectError(await haul.call('GET', '/api/v1/jobs?status=queued'), 400, 'invalid_input', 'queued');
    expectError(await haul.call('GET', '/api/v1/jobs?author=me'), 400, 'invalid_input', 'author');
  });

  it('DELETE /api/v1/jobs/cleanup?daysOld=N removes finished jobs older than N days', async () => {
    const done = await create({ name: 'Short', type: 'process', source: 'script' });
    await step(done.jobId, 'start');
    await step(done.jobId, 'complete');
    const kept = await haul.call('DELETE', '/api/v1/jobs/cleanup?daysOld=30');
    expect(expectShape(ok(z.object({ removed: z.number() })), kept.body, 'cleanup').data.removed).toBe(0);
    const answer = await haul.call('DELETE', '/api/v1/jobs/cleanup?daysOld=0');
    expect(expectShape(ok(z.object({ removed: z.number() })), answer.body, 'cleanup').data.removed).toBeGreaterThan(0);
    expectError(await haul.call('GET', `/api/v1/jobs/${done.jobId}`), 404, 'not_found');
    expectError(await haul.call('DELETE', '/api/v1/jobs/cleanup?daysOld=old'), 400, 'invalid_input', 'daysOld');
  });

  it('asks for the token like every route', async () => {
    const answer = await fetch(`${haul.url}/api/v1/jobs`);
    expect(answer.status).toBe(401);
  });
});
