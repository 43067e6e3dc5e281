import type { FastifyInstance } from 'fastify';
import type { CommandOutput } from '../../src-preload/contract';
import type { Core } from '../core/app';
import { BadRequest, sendEnvelope, sendError } from './reply';

/**
 * Seed 000's plugin action routes. Running an action needs the plugin host, which the
 * core does not have yet (no `core.plugins`): until it does, /action/run answers 503.
 * Reading an action job needs only the job center, which already holds plugin jobs.
 */
export function registerActionRoutes(app: FastifyInstance, core: Pick<Core, 'invoke'>): void {
  app.post('/v1/jobs/action/run', async (_request, reply) => {
    if (!('plugins' in core)) return sendError(reply, 'unavailable', 'Plugins are not available yet in this build.');
    // When the plugin host lands this becomes a contract command (see the report).
    return sendError(reply, 'unavailable', 'Running plugin actions over HTTP is not wired yet.');
  });

  app.get<{ Querystring: Record<string, string | string[]> }>('/v1/jobs/action/job', async (request, reply) => {
    const id = request.query?.id;
    if (id === undefined || id === '') throw new BadRequest('id', 'required');
    if (Array.isArray(id)) throw new BadRequest('id', 'given more than once');
    const found = await core.invoke('jobs.get', { id });
    if (!found.ok) return sendEnvelope(reply, found);
    const { job } = found.value as CommandOutput<'jobs.get'>;
    if (job.source !== 'plugin') return sendError(reply, 'not_found', `Job ${id} is a download, not a plugin action.`);
    return sendEnvelope(reply, { ok: true, value: job });
  });
}
