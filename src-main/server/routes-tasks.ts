import type { FastifyInstance } from 'fastify';
import type { Core } from '../core/app';
import { sendResult } from './reply';
import { restJob } from './rest-job';
import { taskRoutes } from './route-table-tasks';
import { createBodyFromSeed } from './seed-job-package';

/** Registers the task routes: the body (and the path's id) is the command's input; answers bare. */
export function registerTaskRoutes(app: FastifyInstance, core: Pick<Core, 'invoke'>): void {
  for (const route of taskRoutes) {
    app.route({
      method: route.method,
      url: route.url,
      handler: async (request, reply) => {
        // The create route also takes the job-package API's body, its names mapped to Haul's.
        const body = route.command === 'jobs.create' ? createBodyFromSeed(request.body ?? {}) : (request.body ?? {});
        const params = (request.params ?? {}) as Record<string, string>;
        // A body that is not an object is left for the schema to refuse, field named.
        const input =
          route.params?.length && typeof body === 'object' && body !== null && !Array.isArray(body)
            ? { ...body, id: params.id }
            : body;
        return sendResult(reply, await core.invoke(route.command, input), restJob, route.okStatus);
      },
    });
  }
}
