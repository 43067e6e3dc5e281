/**
 * Seed 002 (the queues API): every queue with its counts, and one queue's jobs by status
 * with pagination, in the seed's own field names, walked against `haul serve`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventually, expectError, expectShape, startSeedServer, type SeedServer } from './seed-kit';

const statuses = ['active', 'completed', 'failed', 'delayed', 'waiting', 'paused'] as const;
const Counts = z.object(Object.fromEntries(statuses.map((s) => [s, z.number().int().min(0)])));
const Queues = z.object({ queues: z.array(z.object({ name: z.string(), counts: Counts })) });
const QueueJob = z.object({
  id: z.string(),
  name: z.string(),
  data: z.record(z.string(), z.unknown()),
  state: z.enum(statuses),
  failedReason: z.string().nullable(),
  timestamp: z.number(),
  processedOn: z.number().nullable(),
  finishedOn: z.number().nullable(),
  attemptsMade: z.number().int(),
  stacktrace: z.array(z.string()),
  returnValue: z.unknown(),
  error: z.string().nullable(),
});
const QueueDetail = z.object({
  name: z.string(),
  counts: Counts,
  jobs: z.array(QueueJob),
  pagination: z.object({
    currentPage: z.number().int(),
    totalPages: z.number().int(),
    totalJobs: z.number().int(),
    limit: z.number().int(),
  }),
});

let haul: SeedServer;
const ids: Record<string, string> = {};
const submit = async (path: string, extra: Record<string, unknown> = {}) =>
  (await haul.call('POST', '/v1/jobs/download/submit', { url: haul.fileUrl(path), ...extra })).body.jobs[0]
    .id as string;
const stateOf = async (id: string) =>
  (await haul.call('GET', `/v1/jobs/${id}`)).body as { status: string; attempts: number; error: unknown };

beforeAll(async () => {
  haul = await startSeedServer();
  // One slot: one download active, the next one waiting.
  await haul.call('PATCH', '/v1/settings', { maxConcurrentDownloads: 1 });
  for (const name of ['a', 'b', 'c']) ids[`completed-${name}`] = await submit(`files/${name}.bin`);
  ids.failed = await submit('missing/file.bin', { maxAttempts: 1 });
  for (const [key, want] of Object.entries({ ...ids })) {
    await eventually(async () => (await stateOf(want)).status === (key === 'failed' ? 'failed' : 'completed'), key);
  }
  ids.delayed = await submit('flaky/file.bin', { maxAttempts: 3 });
  await eventually(async () => (await stateOf(ids.delayed!)).attempts === 1, 'the first attempt of the flaky one');
  await eventually(async () => (await stateOf(ids.delayed!)).status === 'pending', 'the flaky one to wait for a retry');
  ids.paused = await submit('files/paused.bin', { paused: true });
  ids.active = await submit('held/active.bin');
  await eventually(async () => (await stateOf(ids.active!)).status === 'downloading', 'the held download to start');
  ids.waiting = await submit('held/waiting.bin');
});
afterAll(() => haul.stop());

describe('seed 002: GET /v1/jobs/queues', () => {
  it('lists every queue with the six counts the seed names', async () => {
    const answer = await haul.call('GET', '/v1/jobs/queues');
    expect(answer.status).toBe(200);
    const { queues } = expectShape(Queues, answer.body, 'GET /v1/jobs/queues');
    const download = queues.find((q) => q.name === 'download')!;
    expect(download.counts).toMatchObject({ active: 1, completed: 3, failed: 1, delayed: 1, waiting: 1, paused: 1 });
    expect(queues.map((q) => q.name)).toContain('plugin');
  });

  it('has a queue for tasks, counted and paged like the others', async () => {
    const task = async (body: Record<string, unknown>) =>
      (await haul.call('POST', '/v1/jobs', { name: 'Queued task', type: 'queue-test', ...body })).body.id as string;
    const running = await task({ start: true });
    const paused = await task({ start: true });
    expect((await haul.call('POST', `/v1/jobs/${paused}/pause`)).status).toBe(200);
    await task({});
    const retrying = await task({ start: true, maxRetries: 2, retryDelaySec: 600 });
    await haul.call('POST', `/v1/jobs/${retrying}/fail`, { message: 'try later' });
    const { queues } = expectShape(Queues, (await haul.call('GET', '/v1/jobs/queues')).body, 'queues');
    const tasks = queues.find((q) => q.name === 'task')!;
    expect(tasks.counts).toMatchObject({ active: 1, paused: 1, waiting: 1, delayed: 1 });
    const active = (await haul.call('GET', '/v1/jobs/queues/task?status=active')).body;
    expect(active.jobs.map((j: { id: string }) => j.id)).toEqual([running]);
    const delayed = (await haul.call('GET', '/v1/jobs/queues/task?status=delayed')).body;
    expect(delayed.jobs.map((j: { id: string; state: string }) => [j.id, j.state])).toEqual([[retrying, 'delayed']]);
  });

  it('is refused without the token (401) and with a wrong one (403)', async () => {
    expectError(await haul.call('GET', '/v1/jobs/queues', undefined, { Authorization: '' }), 401, 'unauthorized');
    expectError(await haul.call('GET', '/v1/jobs/queues', undefined, { Authorization: 'Bearer x' }), 403, 'forbidden');
  });
});

describe('seed 002: GET /v1/jobs/queues/:queueName', () => {
  it('defaults to failed jobs, page 1, 10 a page, with the failure in failedReason and error', async () => {
    const answer = await haul.call('GET', '/v1/jobs/queues/download');
    expect(answer.status).toBe(200);
    const detail = expectShape(QueueDetail, answer.body, 'GET /v1/jobs/queues/download');
    expect(detail.name).toBe('download');
    expect(detail.pagination).toEqual({ currentPage: 1, totalPages: 1, totalJobs: 1, limit: 10 });
    const [failed] = detail.jobs;
    expect(failed).toMatchObject({ id: ids.failed, state: 'failed', attemptsMade: 1 });
    expect(failed!.failedReason).toEqual(expect.stringContaining('404'));
    expect(failed!.error).toBe(failed!.failedReason);
    expect(failed!.finishedOn).toBeGreaterThanOrEqual(failed!.timestamp);
  });

  it('answers each seed status with the jobs in it', async () => {
    for (const [status, id] of Object.entries({
      active: ids.active,
      waiting: ids.waiting,
      delayed: ids.delayed,
      paused: ids.paused,
    })) {
      const detail = expectShape(
        QueueDetail,
        (await haul.call('GET', `/v1/jobs/queues/download?status=${status}`)).body,
        `status=${status}`,
      );
      expect(
        detail.jobs.map((j) => j.id),
        status,
      ).toContain(id);
      expect(detail.jobs.find((j) => j.id === id)!.state, status).toBe(status);
    }
  });

  it('pages completed jobs with page and limit', async () => {
    const answer = await haul.call('GET', '/v1/jobs/queues/download?status=completed&page=2&limit=2');
    const detail = expectShape(QueueDetail, answer.body, 'page 2');
    expect(detail.pagination).toEqual({ currentPage: 2, totalPages: 2, totalJobs: 3, limit: 2 });
    expect(detail.jobs).toHaveLength(1);
    expect(detail.jobs[0]).toMatchObject({ state: 'completed', failedReason: null, stacktrace: [] });
    expect(detail.jobs[0]!.data).toMatchObject({ url: expect.stringContaining('/files/') });
  });

  it('404 for a queue that does not exist, 400 naming a bad status, page, limit or parameter', async () => {
    expectError(await haul.call('GET', '/v1/jobs/queues/ingestion'), 404, 'not_found', 'ingestion');
    expectError(await haul.call('GET', '/v1/jobs/queues/download?status=stuck'), 400, 'invalid_input', 'stuck');
    expectError(await haul.call('GET', '/v1/jobs/queues/download?page=0'), 400, 'invalid_input', 'page');
    expectError(await haul.call('GET', '/v1/jobs/queues/download?limit=many'), 400, 'invalid_input', 'limit');
    expectError(await haul.call('GET', '/v1/jobs/queues/download?sort=asc'), 400, 'invalid_input', 'sort');
  });
});
