/**
 * The job-package API (seed 004) in its own words: its create body, its job fields and its
 * status names, translated at the door so a client written against it works against Haul.
 * Haul's own names keep working beside them.
 */
import { z } from 'zod';
import { CreateTaskInput, type Job } from '../../src-common/contract';
import { BadRequest } from './reply';

/** The seed's create fields and the Haul field each one is. */
const createFieldNames = {
  idempotency_key: 'idempotencyKey',
  timeout_sec: 'timeoutSec',
  max_retries: 'maxRetries',
  retry_delay_sec: 'retryDelaySec',
} as const;

/**
 * The seed's body `{ type, idempotency_key, params, timeout_sec, max_retries,
 * retry_delay_sec }` as Haul's `jobs.create` input. In a body that uses any of those
 * names, `name` defaults to `type` (the seed has no display name per job); `params` is kept as `metadata.params`, shown beside the
 * job and answered again as the seed's `params`. A body giving one field under both
 * names is refused, naming it, rather than picking one. On the seed's own path (`seedPath`)
 * every body is in its words.
 */
export function createBodyFromSeed(body: unknown, options: { seedPath?: boolean } = {}): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const input: Record<string, unknown> = { ...body };
  // Only a body in the seed's words gets a default name: Haul's own (and the job-queue API's) requires one.
  const inSeedWords =
    options.seedPath === true || 'params' in input || Object.keys(createFieldNames).some((name) => name in input);
  for (const [seedName, haulName] of Object.entries(createFieldNames)) {
    if (!(seedName in input)) continue;
    if (haulName in input) throw new BadRequest(seedName, `give ${seedName} or ${haulName}, not both`);
    input[haulName] = input[seedName];
    delete input[seedName];
  }
  if ('params' in input) {
    const metadata = input.metadata;
    const isObject = typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata);
    if (metadata !== undefined && !isObject) return input; // the schema refuses it, named
    if (isObject && 'params' in metadata) throw new BadRequest('params', 'give params or metadata.params, not both');
    input.metadata = { ...(isObject ? metadata : {}), params: input.params };
    delete input.params;
  }
  if (inSeedWords && input.name === undefined && typeof input.type === 'string') input.name = input.type;
  return input;
}

/** The seed's create fields, for the OpenAPI document: what `createBodyFromSeed` takes. */
export const SeedCreateFields = z.object({
  /** The same as `idempotencyKey`. */
  idempotency_key: z.string().min(1).max(200).optional(),
  /** Kept as `metadata.params`; answered again as `params`, a JSON string. */
  params: z.unknown().optional(),
  timeout_sec: z.number().int().min(1).optional(),
  max_retries: z.number().int().min(0).optional(),
  retry_delay_sec: z.number().int().min(0).optional(),
});

/** What `POST /v1/jobs` and `POST /jobs` take, for the OpenAPI document: Haul's create fields or the seed's. */
export function createBodyDoc(): z.ZodType {
  return CreateTaskInput.partial({ name: true }).extend(SeedCreateFields.shape);
}

/** The seed's job fields: times in unix milliseconds, null where Haul has no value. */
export const SeedJobFields = z.object({
  scheduled_at: z.number(),
  updated_at: z.number(),
  started_at: z.number().nullable(),
  /** Download jobs keep Haul's own `eta` (seconds left); other jobs have no estimate. */
  eta: z.number().nullable(),
  progress_details: z.string().nullable(),
  timeout_sec: z.number().int().nullable(),
  max_retries: z.number().int(),
  retry_delay_sec: z.number().int().nullable(),
  retries: z.number().int(),
  idempotency_key: z.string().nullable(),
  /**
   * A task's create `params`, as a JSON string (the seed keeps them so); a plugin job keeps
   * Haul's own `params`, the action's parameters as an object; null for downloads.
   */
  params: z.union([z.string(), z.record(z.string(), z.unknown())]).nullable(),
});
export type SeedJobFields = z.infer<typeof SeedJobFields>;

export function seedJobFields(job: Job): SeedJobFields {
  const task = job.source === 'task' ? job : null;
  const params = task && 'params' in task.metadata ? JSON.stringify(task.metadata.params) : null;
  return {
    scheduled_at: job.createdAt,
    updated_at: job.updatedAt,
    started_at: job.startedAt,
    eta: job.source === 'download' ? job.eta : null,
    progress_details: job.message === '' ? null : job.message,
    timeout_sec: task ? task.timeoutSec : null,
    max_retries: Math.max(0, job.maxAttempts - 1),
    retry_delay_sec: task ? task.retryDelaySec : null,
    retries: Math.max(0, job.attempts - 1),
    idempotency_key: job.idempotencyKey,
    params: job.source === 'plugin' ? job.params : (params ?? null),
  };
}

/**
 * The seed's statuses in a `status` filter: those Haul has under another name become it;
 * those Haul never produces are refused, named, rather than answering an empty list.
 */
const seedStatusAliases: Record<string, string> = { waiting: 'pending', canceled: 'cancelled' };
const neverProduced = ['initializing', 'resuming', 'canceling', 'locked', 'skipped'];

export function statusFilterFromSeed(list: string): string {
  const names = list.split(',').map((name) => name.trim());
  const absent = names.filter((name) => neverProduced.includes(name));
  if (absent.length > 0) {
    throw new BadRequest(
      'status',
      `Haul never puts a job in status ${absent.join(', ')} (a job-package status; see docs/api.md)`,
    );
  }
  return names.map((name) => seedStatusAliases[name] ?? name).join(',');
}
