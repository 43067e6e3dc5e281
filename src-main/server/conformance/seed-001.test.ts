/**
 * Seed 001 (job management): list, read with its output, cancel and delete jobs, against
 * `haul serve`. Haul serves these under /v1/jobs with its own field names; the `it.todo`
 * cases name what a client written for the seed's own paths and names still misses.
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

  it.todo('serves the seed paths /api/jobs, /api/jobs/<id>, /api/jobs/<id>/cancel as aliases of /v1/jobs');
  it.todo('answers the seed field names beside Haul: urls, output, created_at (seconds), return_code, user_id');
  it.todo('says queued where Haul says pending');
  it.todo('GET /api/admin/users/<id>/jobs: Haul has no user accounts; a single-user answer is not decided');
});
