/**
 * The job-queue API (seed 003) at its own paths, `/api/v1/jobs...`, answering in its own
 * shapes: `{ success: true, data }`, camelCase job fields, `source` as the creator's name and
 * `createdAt` as `YYYY-MM-DD HH:MM:SS` (UTC), as the seed's examples write them. The seed
 * shows no error body, so errors are Haul's `{ error: { kind, message } }` with the HTTP status.
 * Haul's own `/v1/jobs` keeps its names (`source` is the kind of job there).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Job } from '../../src-common/contract';
import type { Core } from '../core/app';
import { invokeTyped } from './invoke-typed';
import { queryToInput, refuseUnknownQuery } from './query';
import { BadRequest, sendError, sendValue } from './reply';
import { restJob } from './rest-job';

export const seed003Prefix = '/api/v1/jobs';

/** The seed's five statuses, and the Haul statuses each stands for. */
const seedStatuses = {
  pending: ['pending', 'paused', 'suspended'],
  running: ['running', 'downloading', 'processing', 'suspending'],
  completed: ['completed'],
  failed: ['failed', 'timeout'],
  cancelled: ['cancelled'],
} as const satisfies Record<string, readonly Job['status'][]>;
type SeedStatus = keyof typeof seedStatuses;

export function seedStatus(status: Job['status']): SeedStatus {
  for (const [name, haul] of Object.entries(seedStatuses)) {
    if ((haul as readonly string[]).includes(status)) return name as SeedStatus;
  }
  return 'pending';
}

/** The seed's timestamp form (its example: "2025-11-22 10:30:00"), in UTC. */
export function seedTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export const Seed003Job = z.object({
  /** The seed's row number; Haul has none, so the same id as `jobId`. */
  id: z.string(),
  jobId: z.string(),
  name: z.string(),
  description: z.string(),
  type: z.string(),
  status: z.enum(Object.keys(seedStatuses) as [SeedStatus, ...SeedStatus[]]),
  /** Haul's own status, finer than the seed's five (`downloading`, `paused`, `timeout`...). */
  haulStatus: z.string(),
  progress: z.number(),
  iconSvg: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  errorMessage: z.string().nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  /** The creator: a task's creator, a plugin job's plugin, `haul` for a download. */
  source: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
});
export type Seed003Job = z.infer<typeof Seed003Job>;

export function seed003Job(job: Job): Seed003Job {
  const rest = restJob(job);
  const extra =
    job.source === 'task'
      ? { description: job.description, iconSvg: job.iconSvg, metadata: job.metadata, source: job.creator }
      : job.source === 'plugin'
        ? { description: job.message, iconSvg: null, metadata: job.metadata ?? {}, source: job.pluginName }
        : { description: job.url, iconSvg: null, metadata: {}, source: 'haul' };
  return {
    id: job.id,
    jobId: job.id,
    name: rest.name,
    type: rest.type,
    status: seedStatus(job.status),
    haulStatus: job.status,
    progress: job.progress,
    errorMessage: job.error?.message ?? null,
    result: job.result,
    createdAt: seedTime(job.createdAt)!,
    startedAt: seedTime(job.startedAt),
    completedAt: seedTime(job.finishedAt),
    ...extra,
  };
}

const listQuery = ['status', 'type', 'source', 'limit', 'offset'];

/** `status` in the seed's names (comma-separated), expanded to Haul's; an unknown one is refused, named. */
function haulStatuses(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  const names = String(raw)
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(name in seedStatuses));
  if (unknown.length > 0) {
    throw new BadRequest(
      'status',
      `unknown status ${unknown.join(', ')} (known: ${Object.keys(seedStatuses).join(', ')})`,
    );
  }
  return names.flatMap((name) => seedStatuses[name as SeedStatus]).join(',') || undefined;
}

export function registerSeed003Routes(app: FastifyInstance, core: Pick<Core, 'invoke'>): void {
  app.get(seed003Prefix, async (request, reply) => {
    const query = request.query as Record<string, string>;
    refuseUnknownQuery(query, listQuery);
    const { status, source, ...rest } = queryToInput(query, { integers: ['limit', 'offset'] });
    const input = { ...rest, status: haulStatuses(status), creator: source };
    const answer = await invokeTyped(core, 'jobs.list', JSON.parse(JSON.stringify(input)));
    if (!answer.ok) return sendError(reply, answer.error.kind, answer.error.message);
    return sendValue(reply, { success: true, data: answer.value.jobs.map(seed003Job) });
  });

  // Registered before `/:jobId`, which would otherwise take `cleanup` as an id.
  app.delete(`${seed003Prefix}/cleanup`, async (request, reply) => {
    const query = request.query as Record<string, string>;
    refuseUnknownQuery(query, ['daysOld']);
    const input = queryToInput(query, { integers: ['daysOld'] });
    const answer = await invokeTyped(core, 'jobs.cleanup', { daysOld: 30, ...input });
    if (!answer.ok) return sendError(reply, answer.error.kind, answer.error.message);
    return sendValue(reply, { success: true, data: answer.value });
  });

  app.get(`${seed003Prefix}/:jobId`, async (request, reply) => {
    const { jobId } = request.params as { jobId: string };
    const answer = await invokeTyped(core, 'jobs.get', { id: jobId });
    if (!answer.ok) return sendError(reply, answer.error.kind, answer.error.message);
    return sendValue(reply, { success: true, data: seed003Job(answer.value.job) });
  });

  app.post(seed003Prefix, async (request, reply) => {
    const answer = await invokeTyped(core, 'jobs.create', request.body ?? {});
    if (!answer.ok) return sendError(reply, answer.error.kind, answer.error.message);
    return sendValue(reply, { success: true, data: seed003Job(answer.value) }, 201);
  });
}
