import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Core } from '../core/app';
import { queryToInput, refuseUnknownQuery } from './query';
import { sendEnvelope, sendResult } from './reply';
import { commandRoutes, type CommandRoute } from './route-table';

function inputOf(route: CommandRoute, request: FastifyRequest): unknown {
  const allParams = (request.params ?? {}) as Record<string, string>;
  const params = Object.fromEntries((route.params ?? []).map((name) => [name, allParams[name]]));
  const query = (request.query ?? {}) as Record<string, string | string[]>;
  // A route that reads no query refuses one, naming it, rather than ignoring a filter.
  if (route.input !== 'query') refuseUnknownQuery(query, []);
  if (route.input !== 'body') {
    // Path parameters win over a query field of the same name.
    const input = queryToInput({ ...(route.input === 'query' ? query : {}), ...params }, route.query);
    return route.adapt ? route.adapt(input) : input;
  }
  const body = request.body ?? {};
  if (!route.params?.length) return body;
  // A body that is not an object is left for the schema to refuse, field named.
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return { ...body, ...params };
}

/** Registers every route of the table: input read, command run, value reshaped and answered bare. */
export function registerCommandRoutes(app: FastifyInstance, core: Pick<Core, 'invoke'>): void {
  for (const route of commandRoutes) {
    app.route({
      method: route.method,
      url: route.url,
      handler: async (request, reply) => {
        const answer = await core.invoke(route.command, inputOf(route, request));
        return sendResult(reply, answer, route.present);
      },
    });
  }

  // The UI's transport: every command by name, same envelope as IPC.
  app.post<{ Params: { command: string } }>('/v1/rpc/:command', async (request, reply) =>
    sendEnvelope(reply, await core.invoke(request.params.command, request.body ?? {})),
  );
}
