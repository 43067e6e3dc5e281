import { z } from 'zod';
import { commands, commandNames, ErrorShape, Job, type CommandName } from '../../src-common/contract';
import { commandRoutes, type Method } from './route-table';
import { taskRoutes } from './route-table-tasks';

type JsonSchema = Record<string, unknown>;

/** A route described by hand: the ones that are not a single command (SSE, tickets, the queues API's detail). */
interface RouteDoc {
  method: Method;
  url: string;
  summary: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The envelope's `value`; absent for a non-JSON answer. */
  output?: z.ZodType;
  /** Answered without a token. */
  public?: boolean;
  /** Content type of a non-JSON answer. */
  produces?: string;
  /** Answers the value itself and errors as `{ error }`, not the envelope. */
  bare?: boolean;
}

const schema = (type: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(type, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const queueStatus = z.string().describe('active, waiting, delayed or one of our statuses. @default failed');
const handWritten: RouteDoc[] = [
  { method: 'GET', url: '/healthz', summary: 'Liveness; no token, no data.', public: true, output: z.object({}) },
  {
    method: 'GET',
    url: '/v1/jobs/queues/:name',
    summary: 'One queue with its counts and a page of its jobs (queues API). Unknown queue: 404.',
    query: z.object({
      status: queueStatus.optional(),
      page: z.number().int().min(1).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    }),
    output: z.object({
      name: z.string(),
      counts: z.record(z.string(), z.number().int()),
      jobs: z.array(Job),
      pagination: z.object({
        currentPage: z.number(),
        totalPages: z.number(),
        totalJobs: z.number(),
        limit: z.number(),
      }),
    }),
  },
  {
    method: 'POST',
    url: '/v1/pair',
    summary:
      'Pairs a browser extension: called with the token from the extension itself, it adds the calling ' +
      'chrome-extension:// or moz-extension:// origin to allowedOrigins. Other origins: 400 or 403.',
    body: z.object({}),
    output: z.object({ origin: z.string(), version: z.string() }),
  },
  {
    method: 'DELETE',
    url: '/v1/pair',
    summary: 'Unpairs the calling browser extension: its origin leaves allowedOrigins.',
    output: z.object({ origin: z.string() }),
  },
  {
    method: 'GET',
    url: '/v1/jobs/events',
    summary:
      'Server-Sent Events: init, added, updated, removed, action_added, action_updated, action_removed (event-stream API). ' +
      'Each has an id; reconnect with Last-Event-ID (or ?lastEventId=) to replay what was missed. ' +
      'Authorization: Bearer, or ?ticket= from POST /v1/auth/ticket.',
    query: z.object({ ticket: z.string().optional(), lastEventId: z.number().int().optional() }),
    produces: 'text/event-stream',
  },
  {
    method: 'POST',
    url: '/v1/auth/ticket',
    summary: 'A single-use ticket, valid 60 s, accepted only by GET /v1/jobs/events.',
    output: z.object({ ticket: z.string(), expiresAt: z.number(), url: z.string() }),
  },
  {
    method: 'POST',
    url: '/v1/jobs/action/run',
    summary: 'Runs a plugin action. Answers 503 until the plugin host is available.',
    body: z.record(z.string(), z.unknown()),
  },
  {
    method: 'GET',
    url: '/v1/jobs/action/job',
    summary: 'One plugin action job (event-stream API).',
    query: z.object({ id: z.string() }),
    output: Job,
  },
  { method: 'GET', url: '/v1/openapi.json', summary: 'This document.', output: z.record(z.string(), z.unknown()) },
];

function commandDocs(): RouteDoc[] {
  const tasks = taskRoutes.map((route): RouteDoc => ({
    method: route.method,
    url: route.url,
    summary: `${route.summary} (command ${route.command})`,
    // The id travels in the path.
    body: route.params?.length
      ? (commands[route.command].input as unknown as z.ZodObject).omit({ id: true })
      : commands[route.command].input,
    output: commands[route.command].output,
    bare: true,
  }));
  const rest = commandRoutes.map((route): RouteDoc => {
    const { input, output } = commands[route.command];
    const inputObject = input as unknown as z.ZodObject;
    return {
      method: route.method,
      url: route.url,
      summary: `${route.summary} (command ${route.command})`,
      ...(route.input === 'body' ? { body: input } : {}),
      ...(route.input === 'query' ? { query: inputObject } : {}),
      output: route.output ?? output,
    };
  });
  const rpc = commandNames.map((name: CommandName): RouteDoc => ({
    method: 'POST',
    url: `/v1/rpc/${name}`,
    summary: `Runs ${name} by name; the transport of the UI in a browser.`,
    body: commands[name].input,
    output: commands[name].output,
  }));
  return [...rest, ...tasks, ...rpc];
}

function operation(doc: RouteDoc): JsonSchema {
  const pathParams = [...doc.url.matchAll(/:(\w+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query = doc.query ? (schema(doc.query, 'input') as { properties?: JsonSchema; required?: string[] }) : {};
  const queryParams = Object.entries(query.properties ?? {})
    .filter(([name]) => !pathParams.some((p) => p.name === name))
    .map(([name, s]) => ({ name, in: 'query', required: query.required?.includes(name) ?? false, schema: s }));
  const ok = doc.produces
    ? { content: { [doc.produces]: { schema: { type: 'string' } } } }
    : doc.bare
      ? { content: { 'application/json': { schema: doc.output ? schema(doc.output, 'output') : {} } } }
      : {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { ok: { const: true }, value: doc.output ? schema(doc.output, 'output') : {} },
                required: ['ok', 'value'],
              },
            },
          },
        };
  return {
    summary: doc.summary,
    ...(doc.public ? { security: [] } : {}),
    parameters: [...pathParams, ...queryParams],
    ...(doc.body
      ? { requestBody: { required: false, content: { 'application/json': { schema: schema(doc.body, 'input') } } } }
      : {}),
    responses: {
      '200': { description: 'Done', ...ok },
      default: {
        description: 'An error, its kind deciding the status',
        content: {
          'application/json': {
            schema: { $ref: `#/components/schemas/${doc.bare ? 'BareError' : 'ErrorEnvelope'}` },
          },
        },
      },
    },
  };
}

/** The OpenAPI 3.1 description of the whole API, generated from the contract's zod schemas. */
export function buildOpenApi(version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const doc of [...handWritten, ...commandDocs()]) {
    const path = doc.url.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[doc.method.toLowerCase()] = operation(doc);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Haul local API',
      version,
      description:
        'Every answer is the envelope { ok, value } or { ok: false, error: { kind, message, details? } }; details name the field at fault and, for a submit of several lines, every refused line.',
    },
    servers: [{ url: 'http://127.0.0.1:8181' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The token in <data-dir>/api-token.' },
      },
      schemas: {
        ErrorEnvelope: schema(z.object({ ok: z.literal(false), error: ErrorShape }), 'output'),
        BareError: schema(z.object({ error: ErrorShape }), 'output'),
      },
    },
    paths,
  };
}
