/**
 * The job-package API (seed 004) at its own paths, `/jobs...` (with `/job-types` and
 * `/job-groups`, routes-job-types.ts), answering its Job structure field for field:
 * progress from 0.0 to 1.0, times and `eta` in unix milliseconds (0 where there is none),
 * `error`, `result` and `params` as strings, its status names, and the UUID fields Haul has
 * no use for as the nil UUID. Haul's own `/v1/jobs` keeps Haul's meanings under the names
 * both use (progress 0-100, `eta` in seconds, `error` an object). Errors are Haul's
 * `{ error: { kind, message } }` with the HTTP status.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Envelope, Job } from '../../src-common/contract';
import type { Core } from '../core/app';
import { invokeTyped } from './invoke-typed';
import { readInteger, refuseUnknownQuery } from './query';
import { BadRequest, sendError, sendValue } from './reply';
import { jobTypeId } from './rest-job';
import { createBodyFromSeed } from './seed-job-package';

/** Haul has one user and no tenants or locks: those UUID fields are the nil UUID, as the seed's zero value. */
export const nilUuid = '00000000-0000-0000-0000-000000000000';

/** The seed's status names, and the Haul statuses each one stands for. */
const seedStatuses = {
  initializing: [],
  waiting: ['pending'],
  resuming: [],
  running: ['running', 'downloading', 'processing'],
  canceling: [],
  suspending: ['suspending'],
  locked: [],
  // A paused download or task is out of the running queue until resumed: the seed's suspended.
  suspended: ['paused', 'suspended'],
  skipped: [],
  canceled: ['cancelled'],
  failed: ['failed'],
  timeout: ['timeout'],
  completed: ['completed'],
} as const satisfies Record<string, readonly Job['status'][]>;
type SeedStatus = keyof typeof seedStatuses;
const seedStatusNames = Object.keys(seedStatuses) as [SeedStatus, ...SeedStatus[]];

export function seed004Status(status: Job['status']): SeedStatus {
  for (const name of seedStatusNames) {
    if ((seedStatuses[name] as readonly string[]).includes(status)) return name;
  }
  return 'waiting';
}

export const Seed004Job = z.object({
  id: z.string(),
  tenant_id: z.string(),
  user_id: z.string(),
  /** The key given at create, or the nil UUID. */
  idempotency_key: z.string(),
  type: z.string(),
  scheduled_at: z.number().int(),
  updated_at: z.number().int(),
  /** 0 until the job first starts. */
  started_at: z.number().int(),
  /** When a running download should end, unix milliseconds; 0 when unknown. */
  eta: z.number().int(),
  locked_by: z.string(),
  /** 0.0 to 1.0. */
  progress: z.number().min(0).max(1),
  progress_details: z.string(),
  status: z.enum(seedStatusNames),
  /** A task's description, a download's URL, a plugin job's label. */
  details: z.string(),
  timeout_sec: z.number().int().optional(),
  max_retries: z.number().int().optional(),
  retry_delay_sec: z.number().int().optional(),
  retries: z.number().int(),
  error: z.string().optional(),
  /** JSON text of the result object. */
  result: z.string().optional(),
  /** JSON text: a task's create params, a plugin job's action params, a download's options. */
  params: z.string().optional(),
});
export type Seed004Job = z.infer<typeof Seed004Job>;

const nonZero = (value: number | null | undefined) => (value ? value : undefined);
const jsonText = (value: unknown) => (value === undefined || value === null ? undefined : JSON.stringify(value));

function paramsOf(job: Job): unknown {
  if (job.source === 'task') return job.metadata.params;
  return job.source === 'plugin' ? job.params : job.options;
}

export function seed004Job(job: Job, now = Date.now()): Seed004Job {
  const task = job.source === 'task' ? job : null;
  const details = job.source === 'task' ? job.description : job.source === 'download' ? job.url : job.label;
  const running = job.status === 'downloading' && job.source === 'download';
  // `omitempty` in the seed: an undefined field is left out when the answer is serialized.
  return {
    id: job.id,
    tenant_id: nilUuid,
    user_id: nilUuid,
    idempotency_key: job.idempotencyKey ?? nilUuid,
    type: jobTypeId(job),
    scheduled_at: Math.round(job.createdAt),
    updated_at: Math.round(job.updatedAt),
    started_at: Math.round(job.startedAt ?? 0),
    eta: running && job.eta !== null ? Math.round(now + job.eta * 1000) : 0,
    locked_by: nilUuid,
    progress: Math.min(1, Math.max(0, job.progress / 100)),
    progress_details: job.message,
    status: seed004Status(job.status),
    details,
    timeout_sec: nonZero(task?.timeoutSec),
    max_retries: nonZero(job.maxAttempts - 1),
    retry_delay_sec: nonZero(task?.retryDelaySec),
    retries: Math.max(0, job.attempts - 1),
    error: job.error?.message,
    result: jsonText(job.result),
    params: jsonText(paramsOf(job)),
  };
}

/** The seed's `order` fields and Haul's; `-` first for newest first. */
const orderFields = { scheduled_at: 'createdAt', updated_at: 'updatedAt', started_at: 'startedAt' } as const;

function haulOrder(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const field = raw.replace(/^-/, '');
  if (!(field in orderFields)) {
    throw new BadRequest('order', `unknown order ${raw} (known: ${Object.keys(orderFields).join(', ')}, - first)`);
  }
  return `${raw.startsWith('-') ? '-' : ''}${orderFields[field as keyof typeof orderFields]}`;
}

/**
 * `status` in the seed's names, comma-separated, as Haul's. The seed's names Haul never
 * produces match no job; a name the seed does not know is refused, named. `null`: the
 * filter can match nothing.
 */
function haulStatuses(raw: string | undefined): string | null | undefined {
  if (raw === undefined || raw === '') return undefined;
  const names = raw.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(name in seedStatuses));
  if (unknown.length > 0) {
    throw new BadRequest('status', `unknown status ${unknown.join(', ')} (known: ${seedStatusNames.join(', ')})`);
  }
  const haul = names.flatMap((name) => seedStatuses[name as SeedStatus]);
  return haul.length === 0 ? null : haul.join(',');
}

type Query = Record<string, string | string[]>;
const single = (query: Query, field: string): string | undefined => {
  const value = query[field];
  if (Array.isArray(value)) throw new BadRequest(field, 'given more than once');
  return value;
};

function sendJob(reply: FastifyReply, answer: Envelope<Job>, status?: number) {
  if (!answer.ok) return sendError(reply, answer.error.kind, answer.error.message);
  return sendValue(reply, seed004Job(answer.value), status);
}

export function registerSeed004Routes(app: FastifyInstance, core: Pick<Core, 'invoke'>): void {
  app.get<{ Querystring: Query }>('/jobs', async (request, reply) => {
    const query = request.query ?? {};
    refuseUnknownQuery(query, ['page', 'limit', 'status', 'order']);
    const page = readInteger(query, 'page', 1, { min: 1, max: 1_000_000 });
    const limit = readInteger(query, 'limit', 100, { min: 1, max: 1000 });
    const status = haulStatuses(single(query, 'status'));
    const order = haulOrder(single(query, 'order')) ?? '-createdAt';
    if (status === null) return sendValue(reply, { page, limit, total: 0, jobs: [] });
    const input = { ...(status ? { status } : {}), order, limit, offset: (page - 1) * limit };
    const answer = await invokeTyped(core, 'jobs.list', input);
    if (!answer.ok) return sendError(reply, answer.error.kind, answer.error.message);
    const now = Date.now();
    return sendValue(reply, {
      page,
      limit,
      total: answer.value.total,
      jobs: answer.value.jobs.map((job) => seed004Job(job, now)),
    });
  });

  app.post('/jobs', async (request, reply) =>
    sendJob(
      reply,
      await invokeTyped(core, 'jobs.create', createBodyFromSeed(request.body ?? {}, { seedPath: true })),
      201,
    ),
  );

  app.get<{ Params: { id: string } }>('/jobs/:id', async (request, reply) => {
    refuseUnknownQuery(request.query as Query, []);
    const answer = await invokeTyped(core, 'jobs.get', { id: request.params.id });
    return sendJob(reply, answer.ok ? { ok: true, value: answer.value.job } : answer);
  });

  for (const verb of ['cancel', 'suspend', 'resume'] as const) {
    app.post<{ Params: { id: string } }>(`/jobs/:id/${verb}`, async (request, reply) =>
      sendJob(reply, await invokeTyped(core, `jobs.${verb}`, { id: request.params.id })),
    );
  }

  app.delete<{ Params: { id: string } }>('/jobs/:id', async (request, reply) => {
    refuseUnknownQuery(request.query as Query, []);
    const answer = await invokeTyped(core, 'jobs.remove', { id: request.params.id });
    if (!answer.ok) return sendError(reply, answer.error.kind, answer.error.message);
    return sendValue(reply, answer.value);
  });
}
