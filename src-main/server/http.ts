import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { ErrorKind } from '../../src-common/contract';
import type { Core } from '../core/app';
import { bearerToken, hostForUrl, isAllowedHost, isAllowedOrigin, isExtensionOrigin } from './guards';
import { buildOpenApi } from './openapi';
import { BadRequest, sendError } from './reply';
import { registerActionRoutes } from './routes-actions';
import { registerCommandRoutes } from './routes-commands';
import { pairUrl, registerPairRoutes } from './routes-pair';
import { registerQueueRoutes } from './routes-queues';
import { registerStaticFiles } from './static-files';
import { eventsUrl, registerEventRoutes } from './routes-sse';
import { registerTaskRoutes } from './routes-tasks';
import { registerSeed003Routes } from './routes-seed-003';
import { registerSeed001Routes } from './routes-seed-001';
import { registerSeed004Routes } from './routes-seed-004';
import { TicketStore } from './tickets';
import { registerJobTypeRoutes } from './routes-job-types';
import { registerJobSocket } from './routes-ws';
import { proofNonce, tokenProof, tokensMatch } from '../core/api-token';

export interface ServerOptions {
  /** `settings` gives the paired origins (`allowedOrigins`), read at each request. */
  core: Pick<Core, 'invoke' | 'info' | 'events' | 'settings'>;
  /** The token, or a function giving the current one (it can be regenerated while running). */
  token: string | (() => string);
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port (tests). @default 8181 */
  port?: number;
  /** The built renderer; served at `/` when present. */
  staticDir?: string;
  /** Origins besides our own and the `allowedOrigins` setting that may call the API. */
  allowedOrigins?: readonly string[];
  /** Host names besides loopback that reach us (the --host of --allow-remote). */
  allowedHosts?: readonly string[];
  /** SSE and WebSocket tuning, for tests. */
  events?: { maxStreams?: number; heartbeatMs?: number; tokenCheckMs?: number };
  tickets?: TicketStore;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Every route it answers (HEAD routes aside), as `GET /v1/jobs/:id`: what the OpenAPI document must describe. */
  readonly routes: readonly string[];
  close(): Promise<void>;
}

/** Content-Security-Policy of the served UI: our own scripts and API, nothing else. */
const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/**
 * Haul's API under /v1/, and the seeds' own paths: under /api/ (seeds 001 and 003) and the
 * job-package API's /jobs, /job-types and /job-groups (seed 004).
 */
const tokenPrefixes = ['/v1/', '/api/'];
const tokenRoots = ['/jobs', '/job-types', '/job-groups'];
function needsToken(request: FastifyRequest): boolean {
  const route = request.routeOptions.url ?? '';
  const path = request.url.split('?')[0]!;
  if (tokenRoots.some((root) => [path, route].some((url) => url === root || url.startsWith(`${root}/`)))) return true;
  return tokenPrefixes.some((prefix) => request.url.startsWith(prefix) || route.startsWith(prefix));
}

/** A `?ticket=` stands in for the token on the event stream only, and only once. */
function ticketOf(request: FastifyRequest): string | undefined {
  if (request.method !== 'GET' || request.routeOptions.url !== eventsUrl) return undefined;
  const ticket = (request.query as Record<string, unknown> | undefined)?.ticket;
  return typeof ticket === 'string' && ticket.length > 0 ? ticket : undefined;
}

/**
 * Fastify loads ajv and fast-json-stringify when it is made (about 0.4 s of start-up), yet
 * no route declares a JSON schema: the contract's zod schemas check every input. These
 * load the compilers only if a route with a schema ever asks for one.
 */
type Compilers = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
function onFirstUse<T>(module: string): T {
  // Resolved from fastify itself, which depends on them (they may sit in its own node_modules).
  const load = () => {
    const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
    return (fromFastify(module) as () => (...args: unknown[]) => unknown)();
  };
  return ((...args: unknown[]) => load()(...args)) as T;
}
const lazyCompilers: FastifyServerOptions['schemaController'] = {
  compilersFactory: {
    buildValidator: onFirstUse<Compilers['buildValidator']>('@fastify/ajv-compiler'),
    buildSerializer: onFirstUse<Compilers['buildSerializer']>('@fastify/fast-json-stringify-compiler'),
  },
};

const hostRefusal = 'Host not allowed: the API answers only to its own host names.';

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { core, token } = options;
  const allowedHosts = options.allowedHosts ?? [];
  let port = options.port ?? 8181;
  const app: FastifyInstance = Fastify({
    bodyLimit: 1024 * 1024,
    logger: false,
    schemaController: lazyCompilers,
    // The router's own refusals (a path that does not decode, a parameter too long) come
    // before any hook: the Host is checked here first too, and the answer has the API's
    // shape and headers.
    frameworkErrors: (error, request, reply) => {
      reply.header('X-Content-Type-Options', 'nosniff').header('Referrer-Policy', 'no-referrer');
      if (!isAllowedHost(request.headers.host, port, allowedHosts))
        void sendError(reply, 'forbidden', hostRefusal, 421);
      else void sendError(reply, 'invalid_input', error.message, error.statusCode ?? 400);
    },
  });
  // Many clients send `Content-Type: application/json` with every request, a DELETE or a
  // bodiless POST too: an empty body is no body, not an error. Any other body is parsed as
  // before (prototype poisoning refused).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    void parseJson(request, body as string, done);
  });
  const routes: string[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${route.url}`);
  });
  const tickets = options.tickets ?? new TicketStore();
  const currentToken = typeof token === 'function' ? token : () => token;
  // Streams and tickets remember the token they were let in with by this tag. Read after
  // every response (to notice a regenerated token): hashed again only when the token changed.
  let tagged: { token: string; tag: string } | undefined;
  const tokenTag = (): string => {
    const token = currentToken();
    if (tagged?.token !== token) tagged = { token, tag: createHash('sha256').update(token).digest('base64url') };
    return tagged.tag;
  };

  // JSON bodies only: a cross-site form can send text/plain without a preflight.
  app.removeContentTypeParser(['text/plain']);

  // Order matters: Host (DNS rebinding) before Origin before the token.
  app.addHook('onRequest', async (request, reply) => {
    if (!isAllowedHost(request.headers.host, port, allowedHosts)) {
      return sendError(reply, 'forbidden', hostRefusal, 421);
    }
    // A page elsewhere can embed the UI's files as images or scripts (which send no Origin)
    // and learn from whether they load that Haul runs, and which build. Its own page and
    // the user opening the address are same-origin or a navigation.
    const site = request.headers['sec-fetch-site'];
    if (request.headers['sec-fetch-mode'] === 'no-cors' && site !== undefined && site !== 'same-origin') {
      return sendError(reply, 'forbidden', 'Not from a page elsewhere: Haul’s files load only on its own page.');
    }
    const origin = request.headers.origin;
    const extraOrigins = [...(options.allowedOrigins ?? []), ...core.settings.get().allowedOrigins];
    // An unpaired extension may reach the pairing route only, and still needs the token
    // there; and the liveness route, where it checks the token's proof before it pairs.
    const pairing =
      isExtensionOrigin(origin) &&
      ((request.method !== 'GET' && request.routeOptions.url === pairUrl) ||
        (request.method === 'GET' && request.routeOptions.url === '/healthz'));
    if (!pairing && !isAllowedOrigin(origin, port, extraOrigins, allowedHosts)) {
      const hint = isExtensionOrigin(origin) ? ' (pair the extension with Haul first)' : '';
      return sendError(reply, 'forbidden', `Origin not allowed: ${origin}${hint}`);
    }
    if (!needsToken(request)) return;
    const ticket = request.headers.authorization === undefined ? ticketOf(request) : undefined;
    if (ticket !== undefined) {
      if (!tickets.redeem(ticket, tokenTag()))
        return sendError(reply, 'forbidden', 'Ticket unknown, used or expired; ask for a new one.');
      return;
    }
    const given = bearerToken(request.headers.authorization);
    if (given === undefined) return sendError(reply, 'unauthorized', 'Missing API token (Authorization: Bearer).');
    if (!tokensMatch(given, currentToken())) return sendError(reply, 'forbidden', 'Wrong API token.');
  });

  // Callback hooks, not async ones: run for every answer, they need no promise of their own.
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('Content-Security-Policy', contentSecurityPolicy);
    }
    done(null, payload);
  });

  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    if (error instanceof BadRequest) {
      return sendError(reply, 'invalid_input', error.message, undefined, { field: error.field });
    }
    const status = error.statusCode ?? 500;
    const kind: ErrorKind = status === 404 ? 'not_found' : status < 500 ? 'invalid_input' : 'internal';
    return sendError(reply, kind, error.message, status);
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 'not_found', `No route: ${request.method} ${request.url.split('?')[0]}`),
  );

  app.get('/healthz', async (request) => {
    const { proof } = request.query as { proof?: unknown };
    if (typeof proof === 'string' && proofNonce.test(proof)) {
      return { ok: true, port, proof: tokenProof(currentToken(), port, proof) };
    }
    return { ok: true };
  });
  // Built on first request: turning every schema into JSON Schema costs about 0.3 s, which
  // start-up should not pay for a document few clients read.
  let openApi: ReturnType<typeof buildOpenApi> | undefined;
  app.get('/v1/openapi.json', async () => (openApi ??= buildOpenApi(core.info.version)));
  registerCommandRoutes(app, core);
  registerTaskRoutes(app, core);
  registerQueueRoutes(app, core);
  registerActionRoutes(app, core);
  registerPairRoutes(app, core);
  registerJobTypeRoutes(app, core);
  registerSeed003Routes(app, core);
  registerSeed001Routes(app, core);
  registerSeed004Routes(app, core);
  const streams = registerEventRoutes(app, { hub: core.events, tickets, tokenTag, ...options.events });
  const sockets = registerJobSocket(app.server, {
    hub: core.events,
    tickets,
    token: currentToken,
    tokenTag,
    port: () => port,
    allowedHosts,
    allowedOrigins: () => [...(options.allowedOrigins ?? []), ...core.settings.get().allowedOrigins],
    tokenCheckMs: options.events?.tokenCheckMs,
  });
  // A token regenerated through this API takes its streams, sockets and tickets with it at once.
  app.addHook('onResponse', (_request, _reply, done) => {
    streams.revokeStale();
    sockets.revokeStale();
    done();
  });

  if (options.staticDir && existsSync(options.staticDir)) registerStaticFiles(app, options.staticDir);

  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port });
  port = (app.server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl(host)}:${port}`,
    port,
    routes,
    close: () => {
      closing ??= (async () => {
        streams.closeAll();
        sockets.closeAll();
        await app.close();
      })();
      return closing;
    },
  };
}
