import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  downloadStatuses,
  pluginStatuses,
  queueNames,
  taskStatuses,
  type CommandOutput,
  type Envelope,
  type Job,
  type QueueOverview,
} from '../../src-common/contract';
import type { Core } from '../core/app';
import { readInteger, refuseUnknownQuery } from './query';
import { restJob } from './rest-job';
import { BadRequest, sendError, sendResult, sendValue } from './reply';

type QueueName = (typeof queueNames)[number];

/**
 * Seed 002's BullMQ statuses, mapped onto ours. `delayed` (waiting out a retry backoff)
 * and `waiting` are both `pending` here; our own status names are accepted as well.
 */
const seedStatuses: Record<QueueName, Record<string, readonly string[]>> = {
  download: { active: ['downloading', 'processing'], waiting: ['pending'], delayed: ['pending'] },
  plugin: { active: ['running'], waiting: ['pending'], delayed: ['pending'], paused: [] },
  // A suspended task waits for the user like a paused one.
  task: {
    active: ['running', 'suspending'],
    waiting: ['pending'],
    delayed: ['pending'],
    paused: ['paused', 'suspended'],
  },
};
const ownStatuses: Record<QueueName, readonly string[]> = {
  download: downloadStatuses,
  plugin: pluginStatuses,
  task: taskStatuses,
};

/** The statuses a `status=` value stands for in a queue; the queues API's default is `failed`. */
export function statusesFor(queue: QueueName, status: string | undefined): readonly string[] {
  const wanted = status ?? 'failed';
  const mapped = seedStatuses[queue][wanted] ?? (ownStatuses[queue].includes(wanted) ? [wanted] : undefined);
  if (mapped === undefined) {
    const known = [...new Set([...Object.keys(seedStatuses[queue]), ...ownStatuses[queue]])].join(', ');
    throw new BadRequest('status', `"${wanted}" is not a status of the ${queue} queue (${known})`);
  }
  return mapped;
}

/**
 * A queue's counts as the queues API names them (active, waiting, delayed, paused,
 * completed, failed) beside Haul's own finer ones (pending, downloading, cancelled...).
 */
export function queuesApiCounts(queue: QueueOverview): Record<string, number> {
  const n = (status: string) => queue.counts[status] ?? 0;
  const sum = (statuses: readonly string[] | undefined, fallback: string) =>
    (statuses ?? [fallback]).reduce((total, status) => total + n(status), 0);
  const seed = seedStatuses[queue.name];
  return {
    ...queue.counts,
    active: sum(seed.active, 'running'),
    waiting: Math.max(0, n('pending') - queue.retrying),
    delayed: queue.retrying,
    paused: sum(seed.paused, 'paused'),
    completed: n('completed'),
    failed: n('failed'),
  };
}

/** The queues API's fields of a job, for the OpenAPI document; Haul's own fields come beside them. */
export const QueuesApiJobShape = z
  .object({
    id: z.string(),
    name: z.string(),
    data: z.record(z.string(), z.unknown()),
    state: z.string(),
    failedReason: z.string().nullable(),
    timestamp: z.number(),
    processedOn: z.number().nullable(),
    finishedOn: z.number().nullable(),
    attemptsMade: z.number().int(),
    stacktrace: z.array(z.string()),
    returnValue: z.record(z.string(), z.unknown()).nullable(),
    error: z.string().nullable(),
    errorKind: z.string().nullable(),
  })
  .catchall(z.unknown());

/** One job as the queues API shows it (BullMQ's fields), with Haul's own fields beside. */
export type QueuesApiJob = Omit<Job, 'error'> & {
  name: string;
  data: Record<string, unknown>;
  state: string;
  failedReason: string | null;
  timestamp: number;
  processedOn: number | null;
  finishedOn: number | null;
  attemptsMade: number;
  stacktrace: string[];
  returnValue: Record<string, unknown> | null;
  /** The queues API's `error` is the failure's text; Haul's structured one is `errorKind` + `failedReason`. */
  error: string | null;
  errorKind: string | null;
};

/** The queues API's state of one job; `delayed` is a pending job that failed and waits out its backoff. */
export function queuesApiState(job: Job): string {
  switch (job.status) {
    case 'downloading':
    case 'processing':
    case 'running':
    case 'suspending':
      return 'active';
    case 'suspended':
      return 'paused';
    case 'pending':
      return job.attempts > 0 && job.error !== null ? 'delayed' : 'waiting';
    default:
      return job.status;
  }
}

function dataOf(job: Job): Record<string, unknown> {
  switch (job.source) {
    case 'download':
      return { url: job.url, dir: job.dir, fileName: job.fileName, options: job.options };
    case 'plugin':
      return {
        pluginName: job.pluginName,
        actionId: job.actionId,
        entityType: job.entityType,
        entityId: job.entityId,
        params: job.params,
      };
    default:
      return { type: job.type, creator: job.creator, metadata: job.metadata };
  }
}

export function queuesApiJob(job: Job): QueuesApiJob {
  const reason = job.error?.message ?? null;
  return {
    ...job,
    name: restJob(job).name,
    data: dataOf(job),
    state: queuesApiState(job),
    failedReason: reason,
    timestamp: job.createdAt,
    processedOn: job.startedAt,
    finishedOn: job.finishedAt,
    attemptsMade: job.attempts,
    // No stack traces leave Haul: the failure's kind and message say what happened.
    stacktrace: job.error ? [`${job.error.kind}: ${job.error.message}`] : [],
    returnValue: job.result,
    error: reason,
    errorKind: job.error?.kind ?? null,
  };
}

export interface QueueDetail {
  name: QueueName;
  counts: Record<string, number>;
  jobs: QueuesApiJob[];
  pagination: { currentPage: number; totalPages: number; totalJobs: number; limit: number };
}

function isQueueName(name: string): name is QueueName {
  return (queueNames as readonly string[]).includes(name);
}

const detailQuery = ['status', 'page', 'limit'];

/** Pending jobs read at most: the live queue, which the scheduler keeps well below this. */
const maxPending = 20_000;

/** Every pending job of a queue, oldest first, read a page at a time. */
async function allPending(core: Pick<Core, 'invoke'>, source: QueueName): Promise<Envelope<Job[]>> {
  const jobs: Job[] = [];
  for (let offset = 0; offset < maxPending; offset += 1000) {
    const listed = await core.invoke('jobs.list', {
      source,
      status: 'pending',
      order: 'createdAt',
      limit: 1000,
      offset,
    });
    if (!listed.ok) return listed;
    const page = (listed.value as CommandOutput<'jobs.list'>).jobs;
    jobs.push(...page);
    if (page.length < 1000) break;
  }
  return { ok: true, value: jobs };
}

/** GET /v1/jobs/queues/:name?status=&page=&limit= (queues API), built on jobs.queues and jobs.list. */
export function registerQueueRoutes(app: FastifyInstance, core: Pick<Core, 'invoke'>): void {
  app.get<{ Params: { name: string }; Querystring: Record<string, string | string[]> }>(
    '/v1/jobs/queues/:name',
    async (request, reply) => {
      const { name } = request.params;
      if (!isQueueName(name))
        return sendError(reply, 'not_found', `No queue named "${name}" (${queueNames.join(', ')}).`);
      const query = request.query ?? {};
      refuseUnknownQuery(query, detailQuery);
      if (Array.isArray(query.status)) throw new BadRequest('status', 'given more than once');
      const statuses = statusesFor(name, query.status || undefined);
      const page = readInteger(query, 'page', 1, { min: 1, max: 1_000_000 });
      const limit = readInteger(query, 'limit', 10, { min: 1, max: 1000 });

      const overview = await core.invoke('jobs.queues', {});
      if (!overview.ok) return sendResult(reply, overview);
      const { queues } = overview.value as CommandOutput<'jobs.queues'>;
      const queue = queues.find((q) => q.name === name);
      const counts = queue ? queuesApiCounts(queue) : {};

      let jobs: Job[] = [];
      let totalJobs = 0;
      const wanted = query.status || 'failed';
      if (wanted === 'waiting' || wanted === 'delayed') {
        // Both are `pending` in SQLite; which one a job is shows only on the job itself.
        const pending = await allPending(core, name);
        if (!pending.ok) return sendResult(reply, pending);
        const matching = pending.value.filter((job) => queuesApiState(job) === wanted);
        totalJobs = matching.length;
        jobs = matching.slice((page - 1) * limit, page * limit);
      } else if (statuses.length > 0) {
        const listed = await core.invoke('jobs.list', {
          source: name,
          status: statuses.join(','),
          limit,
          offset: (page - 1) * limit,
        });
        if (!listed.ok) return sendResult(reply, listed);
        ({ jobs, total: totalJobs } = listed.value as CommandOutput<'jobs.list'>);
      }
      const value: QueueDetail = {
        name,
        counts,
        jobs: jobs.map(queuesApiJob),
        pagination: { currentPage: page, totalPages: Math.ceil(totalJobs / limit), totalJobs, limit },
      };
      return sendValue(reply, value);
    },
  );
}
