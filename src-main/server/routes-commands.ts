import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Core } from '../core/app';
import { queryToInput } from './query';
import { sendEnvelope } from './reply';
import { commandRoutes, type CommandRoute } from './route-table';

function inputOf(route: CommandRoute, request: FastifyRequest): unknown {
  const params = (request.params ?? {}) as Record<string, string>;
  const base =
    route.input === 'body' ? request.body : route.input === 'query' ? queryToInput(request.query, route.query) : {};
  if (!route.params?.length) return base ?? {};
  // A body that is not an object is left for the schema to refuse, field named.
  if (base !== undefined && (typeof base !== 'object' || base === null || Array.isArray(base))) return base;
  return { ...base, ...Object.fromEntries(route.params.map((name) => [name, params[name]])) };
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
