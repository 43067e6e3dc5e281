/**
 * Seed 001 (job management): list, read with its output, cancel and delete jobs, against
 * `haul serve`: under /v1/jobs with Haul's own field names, and at the seed's own paths
 * (/api/jobs...) with the seed's fields.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventually, expectError, expectShape, startSeedServer, type SeedServer } from './seed-kit';

// The seed's job, under the names Haul gives the same things (seed name in the comment).
const Job = z.object({
  id: z.string(),
  url: z.string(), // urls
  options: z.record(z.string(), z.unknown()), // options
  status: z.string(),
  createdAt: z.number(), // created_at
});
const JobWithOutput = Job.extend({ log: z.array(z.string()).max(500) }); // output, capped at 500

let haul: SeedServer;
let finished: string;
let live: string;
beforeAll(async () => {
  haul = await startSeedServer();
  const submit = async (path: string, extra = {}) =>
    (await haul.call('POST', '/v1/jobs/download/submit', { url: haul.fileUrl(path), ...extra })).body.jobs[0].id;
  finished = await submit('files/finished.bin');
  live = await submit('files/live.bin', { paused: true });
  await eventually(async () => (await haul.call('GET', `/v1/jobs/${finished}`)).body.status === 'completed', 'done');
});
afterAll(() => haul.stop());

describe('seed 001: job management', () => {
  it('GET /v1/jobs lists live and finished jobs together', async () => {
    const answer = await haul.call('GET', '/v1/jobs');
    expect(answer.status).toBe(200);
    const { jobs } = expectShape(z.object({ jobs: z.array(Job), total: z.number() }), answer.body, 'GET /v1/jobs');
    expect(jobs.map((j) => j.id)).toEqual(expect.arrayContaining([finished, live]));
  });

  it('GET /v1/jobs/:id answers the job with its status and output', async () => {
    const job = expectShape(JobWithOutput, (await haul.call('GET', `/v1/jobs/${finished}`)).body, 'GET /v1/jobs/:id');
    expect(job.status).toBe('completed');
    expectError(await haul.call('GET', '/v1/jobs/0badf00d'), 404, 'not_found');
  });

  it('POST /v1/jobs/:id/cancel cancels; DELETE /v1/jobs/:id deletes the record', async () => {
    const cancelled = await haul.call('POST', `/v1/jobs/${live}/cancel`);
    expect(expectShape(Job, cancelled.body, 'cancel').status).toBe('cancelled');
    expectError(await haul.call('POST', `/v1/jobs/${live}/cancel`), 409, 'conflict');
    const removed = await haul.call('DELETE', `/v1/jobs/${live}`);
    expect(removed.status).toBe(200);
    expectError(await haul.call('GET', `/v1/jobs/${live}`), 404, 'not_found');
  });

  it('keeps history for job_expiry_days (30 by default)', async () => {
    expect((await haul.call('GET', '/v1/settings')).body.jobExpiryDays).toBe(30);
  });
});

// The seed's in-memory job structure, as its own paths answer it (`process` and `command` are not Haul's).
const SeedJob = z.object({
  id: z.string(),
  user_id: z.string(),
  urls: z.array(z.string()),
  options: z.record(z.string(), z.unknown()),
  status: z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']),
  return_code: z.number().int().nullable(),
  created_at: z.number(),
});
const SeedJobWithOutput = SeedJob.extend({ output: z.array(z.string()).max(500) });

describe('seed 001: the seed paths under /api/jobs', () => {
  let paused: string;
  let failed: string;
  beforeAll(async () => {
    const submit = async (path: string, extra = {}) =>
      (await haul.call('POST', '/v1/jobs/download/submit', { url: haul.fileUrl(path), ...extra })).body.jobs[0].id;
    paused = await submit('files/paused.bin', { paused: true });
    failed = await submit('missing/gone.bin', { maxAttempts: 1 });
    await eventually(async () => (await haul.call('GET', `/v1/jobs/${failed}`)).body.status === 'failed', 'failed');
  });

  it('GET /api/jobs lists jobs with the seed fields and output; queued where Haul says pending or paused', async () => {
    const answer = await haul.call('GET', '/api/jobs');
    expect(answer.status).toBe(200);
    const jobs = expectShape(z.array(SeedJobWithOutput), answer.body, 'GET /api/jobs');
    const failedOutput = (await haul.call('GET', `/v1/jobs/${failed}`)).body.log;
    expect(failedOutput.length).toBeGreaterThan(0);
    expect(jobs.find((j) => j.id === failed)!.output).toEqual(failedOutput.slice(-500));
    const done = jobs.find((j) => j.id === finished)!;
    expect(done).toMatchObject({ status: 'completed', return_code: 0, user_id: 'local' });
    expect(done.urls).toEqual([haul.fileUrl('files/finished.bin')]);
    const haulJob = (await haul.call('GET', `/v1/jobs/${finished}`)).body;
    expect(done.created_at).toBeCloseTo(haulJob.createdAt / 1000, 3);
    expect(jobs.find((j) => j.id === paused)).toMatchObject({ status: 'queued', return_code: null });
    expect(jobs.find((j) => j.id === failed)).toMatchObject({ status: 'failed', return_code: 1 });
    expectError(await haul.call('GET', '/api/jobs?user=me'), 400, 'invalid_input', 'user');
  });

  it('GET /api/jobs/<id> answers the job with its output', async () => {
    const job = expectShape(SeedJobWithOutput, (await haul.call('GET', `/api/jobs/${failed}`)).body, 'one job');
    expect(job).toMatchObject({ id: failed, status: 'failed', return_code: 1 });
    expect(job.output.length).toBeGreaterThan(0);
    expect(job.output).toEqual((await haul.call('GET', `/v1/jobs/${failed}`)).body.log.slice(-500));
    expectError(await haul.call('GET', '/api/jobs/0badf00d'), 404, 'not_found');
  });

  it('POST /api/jobs/<id>/cancel cancels; DELETE /api/jobs/<id> deletes finished records only', async () => {
    const other = (await haul.call('POST', '/v1/jobs/download/submit', { url: haul.fileUrl('held/x.bin') })).body
      .jobs[0].id;
    await eventually(async () => (await haul.call('GET', `/api/jobs/${other}`)).body.status === 'running', 'running');
    expectError(await haul.call('DELETE', `/api/jobs/${other}`), 409, 'conflict');
    const cancelled = await haul.call('POST', `/api/jobs/${other}/cancel`);
    expect(expectShape(SeedJob, cancelled.body, 'cancel')).toMatchObject({ status: 'cancelled', return_code: null });
    expectError(await haul.call('POST', `/api/jobs/${other}/cancel`), 409, 'conflict');
    const removed = await haul.call('DELETE', `/api/jobs/${other}`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expectError(await haul.call('GET', `/api/jobs/${other}`), 404, 'not_found');
  });

  it('GET /api/admin/users/<id>/jobs: the one local user has every job; any other user is unknown', async () => {
    const answer = await haul.call('GET', '/api/admin/users/local/jobs');
    const jobs = expectShape(z.array(SeedJobWithOutput), answer.body, 'admin list');
    expect(jobs.map((j) => j.id)).toEqual((await haul.call('GET', '/api/jobs')).body.map((j: { id: string }) => j.id));
    expectError(await haul.call('GET', '/api/admin/users/alice/jobs'), 404, 'not_found', 'alice');
  });

  it('asks for the token like every route', async () => {
    expect((await fetch(`${haul.url}/api/jobs`)).status).toBe(401);
  });
});
