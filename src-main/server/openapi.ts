import { z } from 'zod';
import { commands, commandNames, ErrorShape, Job, type CommandName } from '../../src-common/contract';
import { commandRoutes, type Method } from './route-table';
import { QueuesApiJobShape } from './routes-queues';
import { ApiJobGroup, ApiJobGroupList, ApiJobType, ApiJobTypeList } from './routes-job-types';
import { taskRoutes } from './route-table-tasks';
import { createBodyDoc, SeedJobFields } from './seed-job-package';
import { seedRouteDocs } from './openapi-seeds';

type JsonSchema = Record<string, unknown>;

/** A route described by hand: the ones that are not a single command (SSE, tickets, the queues API's detail). */
interface RouteDoc {
  method: Method;
  url: string;
  summary: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The answer's body (inside the envelope on /v1/rpc); absent for a non-JSON answer. */
  output?: z.ZodType;
  /** Answers in the `{ ok, value }` envelope (the RPC routes only). */
  envelope?: boolean;
  /** Answered without a token. */
  public?: boolean;
  /** Content type of a non-JSON answer. */
  produces?: string;
  /** The status of a success. @default 200 */
  okStatus?: number;
}

const schema = (type: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(type, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const queueStatus = z.string().describe('active, waiting, delayed or one of our statuses. @default failed');
const handWritten: RouteDoc[] = [
  {
    method: 'GET',
    url: '/healthz',
    summary:
      'Liveness; no token, no data. With ?proof=NONCE (16-128 base64url characters) it also answers ' +
      'proof = base64url(HMAC-SHA256(token, "haul-healthz:" + port + ":" + NONCE)): a client checks it ' +
      'before it sends the token to that port.',
    public: true,
    query: z.object({ proof: z.string().optional() }),
    output: z.object({ ok: z.boolean(), port: z.number().int().optional(), proof: z.string().optional() }),
  },
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
      jobs: z.array(QueuesApiJobShape),
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
    output: z.object({ ticket: z.string(), expiresAt: z.number(), url: z.string(), wsUrl: z.string() }),
  },
  {
    method: 'GET',
    url: '/v1/jobs/ws',
    summary:
      'WebSocket (job-queue API): each change of a job is a message { type: "job_update", job } (on connect, one per ' +
      'job of the live list); a job leaving the live list is { type: "job_removed", job }. The job has Haul\'s ' +
      'fields plus jobId and name. Authorization: Bearer, or ?ticket= from POST /v1/auth/ticket.',
    query: z.object({ ticket: z.string().optional() }),
    produces: 'application/websocket',
  },
  {
    method: 'GET',
    url: '/v1/job-types',
    summary: 'Job types (job-package API): downloads and each plugin action, with parameters, timeout and retries.',
    query: z.object({
      page: z.number().int().min(1).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    }),
    output: ApiJobTypeList,
  },
  { method: 'GET', url: '/v1/job-types/:id', summary: 'One job type. Unknown: 404.', output: ApiJobType },
  {
    method: 'GET',
    url: '/v1/job-groups',
    summary: 'Job groups (job-package API): one per queue, with its capacity.',
    query: z.object({
      page: z.number().int().min(1).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    }),
    output: ApiJobGroupList,
  },
  { method: 'GET', url: '/v1/job-groups/:id', summary: 'One job group. Unknown: 404.', output: ApiJobGroup },
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
      : route.command === 'jobs.create'
        ? createBodyDoc()
        : commands[route.command].input,
    // As restJob answers it: the task, its `jobId` and the job-package API's fields.
    output: commands[route.command].output.and(z.object({ jobId: z.string() })).and(SeedJobFields),
    okStatus: route.okStatus,
  }));
  const rest = commandRoutes.map((route): RouteDoc => {
    const { input, output } = commands[route.command];
    const plain = input as unknown as z.ZodObject;
    // A route that also takes the job-package API's `page` says so.
    const inputObject = route.query?.integers?.includes('page')
      ? plain.extend({ page: z.number().int().min(1).optional() })
      : plain;
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
    envelope: true,
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
  const body = doc.output ? schema(doc.output, 'output') : {};
  const ok = doc.produces
    ? { content: { [doc.produces]: { schema: { type: 'string' } } } }
    : {
        content: {
          'application/json': {
            schema: doc.envelope
              ? { type: 'object', properties: { ok: { const: true }, value: body }, required: ['ok', 'value'] }
              : body,
          },
        },
      };
  const error = doc.envelope ? 'ErrorEnvelope' : 'Error';
  return {
    summary: doc.summary,
    ...(doc.public ? { security: [] } : {}),
    parameters: [...pathParams, ...queryParams],
    ...(doc.body
      ? { requestBody: { required: false, content: { 'application/json': { schema: schema(doc.body, 'input') } } } }
      : {}),
    responses: {
      [String(doc.okStatus ?? 200)]: { description: doc.okStatus === 201 ? 'Created' : 'Done', ...ok },
      default: {
        description: 'An error, its kind deciding the status',
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${error}` } } },
      },
    },
  };
}

/** The OpenAPI 3.1 description of the whole API, generated from the contract's zod schemas. */
export function buildOpenApi(version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const doc of [...handWritten, ...commandDocs(), ...seedRouteDocs]) {
    const path = doc.url.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[doc.method.toLowerCase()] = operation(doc);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Haul local API',
      version,
      description:
        'REST routes answer their body bare, in the shape of the job API they follow, and errors as ' +
        "{ error: { kind, message, details? } } with the HTTP status of the kind. /v1/rpc/* (the UI's transport) " +
        'answers the envelope { ok, value } or { ok: false, error }. details name the field at fault and, for a ' +
        'submit of several lines, every refused line. An unknown query parameter is a 400 that names it.',
    },
    servers: [{ url: 'http://127.0.0.1:8181' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The token in <data-dir>/api-token.' },
      },
      schemas: {
        Error: schema(z.object({ error: ErrorShape }), 'output'),
        ErrorEnvelope: schema(z.object({ ok: z.literal(false), error: ErrorShape }), 'output'),
      },
    },
    paths,
  };
}
