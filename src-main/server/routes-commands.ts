import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Core } from '../core/app';
import { queryToInput } from './query';
import { sendEnvelope } from './reply';
import { commandRoutes, type CommandRoute } from './route-table';

function inputOf(route: CommandRoute, request: FastifyRequest): unknown {
  const allParams = (request.params ?? {}) as Record<string, string>;
  const params = Object.fromEntries((route.params ?? []).map((name) => [name, allParams[name]]));
  if (route.input !== 'body') {
    // Path parameters win over a query field of the same name.
    const query = route.input === 'query' ? (request.query as Record<string, string | string[]>) : {};
    return queryToInput({ ...query, ...params }, route.query);
  }
  const body = request.body ?? {};
  if (!route.params?.length) return body;
  // A body that is not an object is left for the schema to refuse, field named.
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return { ...body, ...params };
}

/** Registers every route of the table: input read, command run, value reshaped. */
export function registerCommandRoutes(app: FastifyInstance, core: Pick<Core, 'invoke'>): void {
  for (const route of commandRoutes) {
    app.route({
      method: route.method,
      url: route.url,
      handler: async (request, reply) => {
        const envelope = await core.invoke(route.command, inputOf(route, request));
        if (envelope.ok && route.present) {
          return sendEnvelope(reply, { ok: true, value: route.present(envelope.value as never) });
        }
        return sendEnvelope(reply, envelope);
      },
    });
  }

  // The UI's transport: every command by name, same envelope as IPC.
  app.post<{ Params: { command: string } }>('/v1/rpc/:command', async (request, reply) =>
    sendEnvelope(reply, await core.invoke(request.params.command, request.body ?? {})),
  );
}
