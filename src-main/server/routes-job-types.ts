import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CommandOutput, JobGroupInfo, JobTypeInfo } from '../../src-common/contract';
import type { Core } from '../core/app';
import { readInteger, refuseUnknownQuery } from './query';
import { sendError, sendResult, sendValue } from './reply';

/** A job type as the job-package API names its fields. */
export const ApiJobType = z.object({
  type_id: z.string(),
  name: z.string(),
  description: z.string(),
  group: z.string(),
  source: z.string(),
  timeout_sec: z.number().int(),
  max_retries: z.number().int(),
  retry_delay_sec: z.number(),
  suspendable: z.boolean(),
  params: z.record(z.string(), z.unknown()),
  /** The same JSON Schema as `params`, as text (the job-package API carries both). */
  params_schema: z.string(),
});
export const ApiJobGroup = z.object({
  name: z.string(),
  queue_name: z.string(),
  description: z.string(),
  capacity: z.number().int().nullable(),
});
const pageFields = { page: z.number().int(), limit: z.number().int(), total: z.number().int() };
export const ApiJobTypeList = z.object({ ...pageFields, job_types: z.array(ApiJobType) });
export const ApiJobGroupList = z.object({ ...pageFields, job_groups: z.array(ApiJobGroup) });

function apiType(type: JobTypeInfo): z.infer<typeof ApiJobType> {
  return {
    type_id: type.typeId,
    name: type.name,
    description: type.description,
    group: type.group,
    source: type.source,
    timeout_sec: type.timeoutSec,
    max_retries: type.maxRetries,
    retry_delay_sec: type.retryDelaySec,
    suspendable: type.suspendable,
    params: type.paramsSchema,
    params_schema: JSON.stringify(type.paramsSchema),
  };
}

function apiGroup(group: JobGroupInfo): z.infer<typeof ApiJobGroup> {
  return { name: group.name, queue_name: group.queue, description: group.description, capacity: group.capacity };
}

type Query = Record<string, string | string[]>;

function page<T>(items: T[], query: Query): { page: number; limit: number; total: number; items: T[] } {
  refuseUnknownQuery(query, ['page', 'limit']);
  const number = readInteger(query, 'page', 1, { min: 1, max: 1_000_000 });
  const limit = readInteger(query, 'limit', 100, { min: 1, max: 1000 });
  return { page: number, limit, total: items.length, items: items.slice((number - 1) * limit, number * limit) };
}

/**
 * GET /job-types[/:id] and /job-groups[/:id] (job-package API), built on `jobs.types`: at the
 * seed's own paths and under /v1 beside Haul's other routes.
 */
export function registerJobTypeRoutes(app: FastifyInstance, core: Pick<Core, 'invoke'>): void {
  for (const prefix of ['/v1', '']) registerAt(app, core, prefix);
}

function registerAt(app: FastifyInstance, core: Pick<Core, 'invoke'>, prefix: string): void {
  const read = async () => {
    const answer = await core.invoke('jobs.types', {});
    return answer.ok ? { ok: true as const, value: answer.value as CommandOutput<'jobs.types'> } : answer;
  };

  app.get<{ Querystring: Query }>(`${prefix}/job-types`, async (request, reply) => {
    const answer = await read();
    if (!answer.ok) return sendResult(reply, answer);
    const { items, ...paging } = page(answer.value.types.map(apiType), request.query ?? {});
    return sendValue(reply, { ...paging, job_types: items });
  });

  app.get<{ Params: { id: string }; Querystring: Query }>(`${prefix}/job-types/:id`, async (request, reply) => {
    refuseUnknownQuery(request.query ?? {}, []);
    const answer = await read();
    if (!answer.ok) return sendResult(reply, answer);
    const type = answer.value.types.find((t) => t.typeId === request.params.id);
    if (!type) return sendError(reply, 'not_found', `No job type "${request.params.id}".`);
    return sendValue(reply, apiType(type));
  });

  app.get<{ Querystring: Query }>(`${prefix}/job-groups`, async (request, reply) => {
    const answer = await read();
    if (!answer.ok) return sendResult(reply, answer);
    const { items, ...paging } = page(answer.value.groups.map(apiGroup), request.query ?? {});
    return sendValue(reply, { ...paging, job_groups: items });
  });

  app.get<{ Params: { id: string }; Querystring: Query }>(`${prefix}/job-groups/:id`, async (request, reply) => {
    refuseUnknownQuery(request.query ?? {}, []);
    const answer = await read();
    if (!answer.ok) return sendResult(reply, answer);
    const group = answer.value.groups.find((g) => g.name === request.params.id);
    if (!group) return sendError(reply, 'not_found', `No job group "${request.params.id}" (download, plugin).`);
    return sendValue(reply, apiGroup(group));
  });
}
