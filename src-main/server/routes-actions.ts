import type { FastifyInstance } from 'fastify';
import type { CommandOutput } from '../../src-common/contract';
import type { Core } from '../core/app';
import { refuseUnknownQuery } from './query';
import { BadRequest, sendError, sendResult, sendValue } from './reply';

/**
 * Seed 000's read of one plugin action job (running one is `actions.run` in the route
 * table): a download id is refused, since this route speaks only of plugin jobs.
 */
export function registerActionRoutes(app: FastifyInstance, core: Pick<Core, 'invoke'>): void {
  app.get<{ Querystring: Record<string, string | string[]> }>('/v1/jobs/action/job', async (request, reply) => {
    refuseUnknownQuery(request.query ?? {}, ['id']);
    const id = request.query?.id;
    if (id === undefined || id === '') throw new BadRequest('id', 'required');
    if (Array.isArray(id)) throw new BadRequest('id', 'given more than once');
    const found = await core.invoke('jobs.get', { id });
    if (!found.ok) return sendResult(reply, found);
    const { job } = found.value as CommandOutput<'jobs.get'>;
    if (job.source !== 'plugin') return sendError(reply, 'not_found', `Job ${id} is a download, not a plugin action.`);
    return sendValue(reply, job);
  });
}
