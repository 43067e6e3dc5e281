/**
 * GET /v1/jobs/ws: the job-queue API's WebSocket. Every change of a job is sent as
 * `{ type: "job_update", job }` (on connect, one per job of the live list), a job that
 * leaves the live list as `{ type: "job_removed", job }`. The job is shown as the REST routes
 * show it (rest-job.ts). Upgrades bypass fastify's hooks, so the
 * Host, Origin and token (or single-use ticket) checks are made here, in the same order.
 */
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import type { ErrorKind } from '../../src-common/contract';
import type { CoreEvents, SequencedEvent, Subscription } from '../core/app';
import { tokensMatch } from '../core/api-token';
import { repeatWhile } from './repeat-while';
import { bearerToken, isAllowedHost, isAllowedOrigin } from './guards';
import { restJob, type RestJob } from './rest-job';
import type { TicketStore } from './tickets';

export const socketUrl = '/v1/jobs/ws';

/** Past this many unsent bytes a client is not reading: it is cut rather than buffered without end. */
const maxBufferedBytes = 4 * 1024 * 1024;

export interface JobSocketOptions {
  hub: Pick<CoreEvents, 'subscribe'>;
  tickets: TicketStore;
  token: () => string;
  tokenTag: () => string;
  port: () => number;
  allowedHosts: readonly string[];
  allowedOrigins: () => readonly string[];
  /** Sockets open at once; past this a new one is refused with 503. @default 64 */
  maxSockets?: number;
  /** How often a token change made elsewhere is looked for. @default 1000 */
  tokenCheckMs?: number;
}

export type SocketMessage = { type: 'job_update' | 'job_removed'; job: RestJob };

/** The messages one hub event becomes: a snapshot is one update per job. */
export function socketMessages(event: SequencedEvent): SocketMessage[] {
  if (event.event === 'init') {
    return [...event.data.jobs, ...event.data.actionJobs, ...event.data.tasks].map((job) => ({
      type: 'job_update',
      job: restJob(job),
    }));
  }
  const type = event.data.type === 'removed' ? 'job_removed' : 'job_update';
  return [{ type, job: restJob(event.data.job) }];
}

type Refusal = [status: number, kind: ErrorKind, message: string];

/** Answers a refused upgrade as any other route would: the status and `{ error }`. */
function refuse(socket: Duplex, ...[status, kind, message]: Refusal): void {
  const body = JSON.stringify({ error: { kind, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function registerJobSocket(
  server: Server,
  options: JobSocketOptions,
): { closeAll(): void; revokeStale(): void } {
  // ws loads with the first socket, not at start (scripts/check-build.mjs holds start to that).
  let sockets: Promise<WebSocketServer> | undefined;
  const socketServer = () =>
    (sockets ??= import('ws').then(
      ({ WebSocketServer: Server }) => new Server({ noServer: true, maxPayload: 64 * 1024 }),
    ));
  const open = new Map<WebSocket, { subscription: Subscription; tag: string }>();
  const maxSockets = options.maxSockets ?? 64;

  const credentialsRefused = (req: IncomingMessage, url: URL): Refusal | undefined => {
    const ticket = url.searchParams.get('ticket');
    if (req.headers.authorization === undefined && ticket) {
      return options.tickets.redeem(ticket, options.tokenTag())
        ? undefined
        : [403, 'forbidden', 'Ticket unknown, used or expired; ask for a new one.'];
    }
    const given = bearerToken(req.headers.authorization);
    if (given === undefined) return [401, 'unauthorized', 'Missing API token (Authorization: Bearer, or ?ticket=).'];
    if (!tokensMatch(given, options.token())) return [403, 'forbidden', 'Wrong API token.'];
    return undefined;
  };

  /** Why this upgrade is refused, in the local API's order: Host, Origin, token or ticket. */
  const check = (req: IncomingMessage, url: URL): Refusal | undefined => {
    if (!isAllowedHost(req.headers.host, options.port(), options.allowedHosts)) {
      return [421, 'forbidden', 'Host not allowed: the API answers only to its own host names.'];
    }
    if (!isAllowedOrigin(req.headers.origin, options.port(), options.allowedOrigins(), options.allowedHosts)) {
      return [403, 'forbidden', `Origin not allowed: ${req.headers.origin}`];
    }
    const refused = credentialsRefused(req, url);
    if (refused) return refused;
    // A socket opened with a ticket counts as much as one opened with the token.
    if (open.size >= maxSockets) return [503, 'unavailable', `Too many job sockets are open (${maxSockets}).`];
    return undefined;
  };

  const follow = async (ws: WebSocket, subscription: Subscription): Promise<void> => {
    for await (const event of subscription) {
      if (ws.readyState !== ws.OPEN) break;
      for (const message of socketMessages(event)) ws.send(JSON.stringify(message));
      if (ws.bufferedAmount > maxBufferedBytes) {
        ws.terminate();
        break;
      }
    }
  };

  const end = (ws: WebSocket, subscription: Subscription): void => {
    subscription.close();
    ws.close(1008, 'API token changed');
    // A client that does not answer the close is cut shortly after.
    setTimeout(() => ws.terminate(), 1000).unref();
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Other paths are nobody's upgrade here: refuse plainly instead of leaving the socket hanging.
    if (url.pathname !== socketUrl) return refuse(socket, 404, 'not_found', `No WebSocket at ${url.pathname}`);
    const refusal = check(req, url);
    if (refusal) return refuse(socket, ...refusal);
    const tag = options.tokenTag();
    void socketServer().then((wss) =>
      wss.handleUpgrade(req, socket, head, (ws) => {
        const subscription = options.hub.subscribe();
        open.set(ws, { subscription, tag });
        checker.arm();
        ws.on('close', () => {
          subscription.close();
          open.delete(ws);
        });
        ws.on('error', () => ws.terminate());
        // Clients only listen; anything they send is ignored.
        void follow(ws, subscription).finally(() => subscription.close());
      }),
    );
  });

  const revokeStale = (): void => {
    const current = options.tokenTag();
    for (const [ws, entry] of open) {
      if (entry.tag === current) continue;
      open.delete(ws);
      end(ws, entry.subscription);
    }
  };
  const checker = repeatWhile(revokeStale, () => open.size > 0, options.tokenCheckMs ?? 1000);

  return {
    closeAll() {
      checker.stop();
      for (const [ws, { subscription }] of open) {
        subscription.close();
        ws.terminate();
      }
      open.clear();
      void sockets?.then((wss) => wss.close());
    },
    revokeStale,
  };
}
