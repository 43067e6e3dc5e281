import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { Envelope, ErrorKind } from '../../src-preload/contract';
import type { Core } from '../core/app';
import { bearerToken, isAllowedHost, isAllowedOrigin, statusOfKind } from './guards';
import { tokensMatch } from './token';

export interface ServerOptions {
  core: Core;
  token: string;
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port (tests). @default 8181 */
  port?: number;
  /** The built renderer; served at `/` when present. */
  staticDir?: string;
  /** Origins besides our own that may call the API (browser extensions the user allowed). */
  allowedOrigins?: readonly string[];
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Content-Security-Policy of the served UI: our own scripts and API, nothing else. */
const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

function sendError(reply: FastifyReply, kind: ErrorKind, message: string, status = statusOfKind[kind]) {
  const body: Envelope<never> = { ok: false, error: { kind, message } };
  return reply.code(status).type('application/json').send(body);
}

function sendEnvelope(reply: FastifyReply, envelope: Envelope<unknown>) {
  const status = envelope.ok ? 200 : statusOfKind[envelope.error.kind];
  return reply.code(status).send(envelope);
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { core, token } = options;
  const app: FastifyInstance = Fastify({ bodyLimit: 1024 * 1024, logger: false });
  let port = options.port ?? 8181;

  // JSON bodies only: a cross-site form can send text/plain without a preflight.
  app.removeContentTypeParser(['text/plain']);

  app.addHook('onRequest', async (request, reply) => {
    if (!isAllowedHost(request.headers.host, port)) {
      return sendError(reply, 'forbidden', 'Host not allowed: the API answers only to localhost.', 421);
    }
    if (!isAllowedOrigin(request.headers.origin, port, options.allowedOrigins)) {
      return sendError(reply, 'forbidden', `Origin not allowed: ${request.headers.origin}`);
    }
    if (!request.url.startsWith('/v1/')) return;
    const given = bearerToken(request.headers.authorization);
    if (given === undefined) return sendError(reply, 'unauthorized', 'Missing API token (Authorization: Bearer).');
    if (!tokensMatch(given, token)) return sendError(reply, 'forbidden', 'Wrong API token.');
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('Content-Security-Policy', contentSecurityPolicy);
    }
    return payload;
  });

  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    const kind: ErrorKind = status === 404 ? 'not_found' : status < 500 ? 'invalid_input' : 'internal';
    return sendError(reply, kind, error.message, status);
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 'not_found', `No route: ${request.method} ${request.url}`),
  );

  app.get('/healthz', async () => ({ ok: true }));

  app.post<{ Params: { command: string } }>('/v1/rpc/:command', async (request, reply) =>
    sendEnvelope(reply, await core.invoke(request.params.command, request.body ?? {})),
  );

  if (options.staticDir && existsSync(options.staticDir)) {
    await app.register(fastifyStatic, { root: options.staticDir, index: 'index.html', wildcard: false });
  }

  await app.listen({ host: options.host ?? '127.0.0.1', port });
  port = (app.server.address() as AddressInfo).port;
  const shownHost = (options.host ?? '127.0.0.1').includes(':') ? `[${options.host}]` : (options.host ?? '127.0.0.1');
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: () => app.close(),
  };
}
