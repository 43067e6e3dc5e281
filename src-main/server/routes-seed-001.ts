/**
 * The job-management API (seed 001) at its own paths, `/api/jobs...`, with its snake_case
 * fields. The seed shows no bodies beyond its job structure, so a list is a bare array of
 * jobs, one job is the job with its `output`, and errors are Haul's
 * `{ error: { kind, message } }` with the HTTP status.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isFinishedStatus, type Job } from '../../src-common/contract';
import type { Core } from '../core/app';
import { refuseUnknownQuery } from './query';
import { sendError, sendValue } from './reply';
import { invokeTyped } from './invoke-typed';

/**
 * Haul has no user accounts: everything belongs to whoever holds the API token, so every
 * job has this one owner, and the admin route knows only this user.
 */
export const localUserId = 'local';

/** The seed's lines kept per job; Haul keeps the same number. */
const outputLines = 500;

const seedStatuses = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;

/**
 * Haul's statuses in the seed's five: waiting ones (pending; paused and suspended, which
 * wait for the user to go on) are `queued`; working ones `running`; a timeout is `failed`.
 */
export function seed001Status(status: Job['status']): (typeof seedStatuses)[number] {
  switch (status) {
    case 'pending':
    case 'paused':
    case 'suspended':
      return 'queued';
    case 'downloading':
    case 'processing':
    case 'running':
    case 'suspending':
      return 'running';
    case 'timeout':
      return 'failed';
    default:
      return status;
  }
}

export const Seed001Job = z.object({
  id: z.string(),
  user_id: z.string(),
  /** The download's URL; plugin jobs and tasks have none. */
  urls: z.array(z.string()),
  /** A download's options, a plugin job's params, a task's metadata. */
  options: z.record(z.string(), z.unknown()),
  status: z.enum(seedStatuses),
  /** Haul's own, finer status (`paused`, `downloading`, `timeout`...). */
  haul_status: z.string(),
  /** 0 completed, 1 failed: Haul runs no process, so no other code; null until it ends (and when cancelled). */
  return_code: z.union([z.literal(0), z.literal(1)]).nullable(),
  /** Unix seconds, with the milliseconds as the fraction. */
  created_at: z.number(),
});
export type Seed001Job = z.infer<typeof Seed001Job>;
export const Seed001JobWithOutput = Seed001Job.extend({ output: z.array(z.string()).max(outputLines) });
export type Seed001JobWithOutput = z.infer<typeof Seed001JobWithOutput>;

export function seed001Job(job: Job): Seed001Job {
  const status = seed001Status(job.status);
  return {
    id: job.id,
    user_id: localUserId,
    urls: job.source === 'download' ? [job.url] : [],
    options: job.source === 'download' ? job.options : job.source === 'plugin' ? job.params : job.metadata,
    status,
    haul_status: job.status,
    return_code: status === 'completed' ? 0 : status === 'failed' ? 1 : null,
    created_at: job.createdAt / 1000,
  };
}

type Core001 = Pick<Core, 'invoke'>;

/**
 * Every job, newest first, each with its `output` as the seed's job structure has it (the
 * seed lists all; 1000, the list's most, bounds one answer).
 */
async function listJobs(core: Core001) {
  const answer = await invokeTyped(core, 'jobs.list', { limit: 1000 });
  if (!answer.ok || answer.value.jobs.length === 0) return answer.ok ? { ok: true as const, value: [] } : answer;
  const ids = answer.value.jobs.map((job) => job.id);
  const logs = await invokeTyped(core, 'jobs.logs', { ids });
  if (!logs.ok) return logs;
  const value = answer.value.jobs.map((job) => withOutput(job, logs.value.logs[job.id] ?? []));
  return { ok: true as const, value };
}

const withOutput = (job: Job, log: string[]): Seed001JobWithOutput => ({
  ...seed001Job(job),
  output: log.slice(-outputLines),
});

export function registerSeed001Routes(app: FastifyInstance, core: Core001): void {
  app.get('/api/jobs', async (request, reply) => {
    refuseUnknownQuery(request.query as Record<string, string>, []);
    const answer = await listJobs(core);
    if (!answer.ok) return sendError(reply, answer.error.kind, answer.error.message);
    return sendValue(reply, answer.value);
  });

  app.get('/api/jobs/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const answer = await invokeTyped(core, 'jobs.get', { id });
    if (!answer.ok) return sendError(reply, answer.error.kind, answer.error.message);
    return sendValue(reply, withOutput(answer.value.job, answer.value.log));
  });

  app.post('/api/jobs/:id/cancel', async (request, reply) => {
    const { id } = request.params as { id: string };
    const answer = await invokeTyped(core, 'jobs.cancel', { id });
    if (!answer.ok) return sendError(reply, answer.error.kind, answer.error.message);
    return sendValue(reply, seed001Job(answer.value));
  });

  // The seed deletes finished records only; a live job is cancelled first, on its own route.
  app.delete('/api/jobs/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const found = await invokeTyped(core, 'jobs.get', { id });
    if (!found.ok) return sendError(reply, found.error.kind, found.error.message);
    if (!isFinishedStatus(found.value.job.status)) {
      return sendError(reply, 'conflict', `Job ${id} is ${found.value.job.status}: cancel it before deleting it.`);
    }
    const answer = await invokeTyped(core, 'jobs.remove', { id });
    if (!answer.ok) return sendError(reply, answer.error.kind, answer.error.message);
    return sendValue(reply, answer.value);
  });

  app.get('/api/admin/users/:userId/jobs', async (request, reply) => {
    const { userId } = request.params as { userId: string };
    if (userId !== localUserId) {
      return sendError(reply, 'not_found', `No user ${userId}: Haul has one user, "${localUserId}".`);
    }
    const answer = await listJobs(core);
    if (!answer.ok) return sendError(reply, answer.error.kind, answer.error.message);
    return sendValue(reply, answer.value);
  });
}
