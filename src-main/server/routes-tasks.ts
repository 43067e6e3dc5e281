import type { FastifyInstance } from 'fastify';
import type { Core } from '../core/app';
import { sendBare } from './reply';
import { taskRoutes } from './route-table-tasks';

/** Registers the task routes: the body (and the path's id) is the command's input; answers bare. */
export function registerTaskRoutes(app: FastifyInstance, core: Pick<Core, 'invoke'>): void {
  for (const route of taskRoutes) {
    app.route({
      method: route.method,
      url: route.url,
      handler: async (request, reply) => {
        const body = request.body ?? {};
        const params = (request.params ?? {}) as Record<string, string>;
        // A body that is not an object is left for the schema to refuse, field named.
        const input =
          route.params?.length && typeof body === 'object' && body !== null && !Array.isArray(body)
            ? { ...body, id: params.id }
            : body;
        return sendBare(reply, await core.invoke(route.command, input), route.okStatus);
      },
    });
  }
}
