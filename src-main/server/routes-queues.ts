import type { FastifyInstance } from 'fastify';
import {
  downloadStatuses,
  pluginStatuses,
  queueNames,
  type CommandOutput,
  type Envelope,
  type QueueOverview,
} from '../../src-common/contract';
import type { Core } from '../core/app';
import { readInteger } from './query';
import { BadRequest, sendEnvelope, sendError } from './reply';

type QueueName = (typeof queueNames)[number];

/**
 * Seed 002's BullMQ statuses, mapped onto ours. `delayed` (waiting out a retry backoff)
 * and `waiting` are both `pending` here; our own status names are accepted as well.
 */
const seedStatuses: Record<QueueName, Record<string, readonly string[]>> = {
  download: { active: ['downloading', 'processing'], waiting: ['pending'], delayed: ['pending'] },
  plugin: { active: ['running'], waiting: ['pending'], delayed: ['pending'], paused: [] },
};
const ownStatuses: Record<QueueName, readonly string[]> = { download: downloadStatuses, plugin: pluginStatuses };

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
  const active = queue.name === 'download' ? n('downloading') + n('processing') : n('running');
  return {
    ...queue.counts,
    active,
    waiting: Math.max(0, n('pending') - queue.retrying),
    delayed: queue.retrying,
    paused: n('paused'),
    completed: n('completed'),
    failed: n('failed'),
  };
}

export interface QueueDetail {
  name: QueueName;
  counts: Record<string, number>;
  jobs: CommandOutput<'jobs.list'>['jobs'];
  pagination: { currentPage: number; totalPages: number; totalJobs: number; limit: number };
}

function isQueueName(name: string): name is QueueName {
  return (queueNames as readonly string[]).includes(name);
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
      if (Array.isArray(query.status)) throw new BadRequest('status', 'given more than once');
      const statuses = statusesFor(name, query.status || undefined);
      const page = readInteger(query, 'page', 1, { min: 1, max: 1_000_000 });
      const limit = readInteger(query, 'limit', 10, { min: 1, max: 1000 });

      const overview = await core.invoke('jobs.queues', {});
      if (!overview.ok) return sendEnvelope(reply, overview);
      const { queues } = overview.value as CommandOutput<'jobs.queues'>;
      const queue = queues.find((q) => q.name === name);
      const counts = queue ? queuesApiCounts(queue) : {};

      let jobs: QueueDetail['jobs'] = [];
      let totalJobs = 0;
      if (statuses.length > 0) {
        const listed = await core.invoke('jobs.list', {
          source: name,
          status: statuses.join(','),
          limit,
          offset: (page - 1) * limit,
        });
        if (!listed.ok) return sendEnvelope(reply, listed);
        ({ jobs, total: totalJobs } = listed.value as CommandOutput<'jobs.list'>);
      }
      const value: QueueDetail = {
        name,
        counts,
        jobs,
        pagination: { currentPage: page, totalPages: Math.ceil(totalJobs / limit), totalJobs, limit },
      };
      return sendEnvelope(reply, { ok: true, value } satisfies Envelope<QueueDetail>);
    },
  );
}
