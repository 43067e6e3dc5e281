import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { CoreEvents, Subscription } from '../core/app';
import { repeatWhile } from './repeat-while';
import { sendError } from './reply';
import { parseLastEventId, streamEvents } from './sse-stream';
import type { TicketStore } from './tickets';

export const eventsUrl = '/v1/jobs/events';

export interface EventRouteOptions {
  hub: Pick<CoreEvents, 'subscribe'>;
  tickets: TicketStore;
  /** Streams open at once; past this a new one is answered 503. @default 64 */
  maxStreams?: number;
  /** Interval of the keep-alive comment. @default 15_000 */
  heartbeatMs?: number;
  /** A tag of the current API token: streams and tickets of an older one are cut. */
  tokenTag?: () => string;
  /** How often a token change made elsewhere (the desktop app) is looked for. @default 1000 */
  tokenCheckMs?: number;
}

/**
 * GET /v1/jobs/events (the event-stream API's stream) and POST /v1/auth/ticket, which gives an
 * EventSource, unable to send headers, a single-use way in. Returns `closeAll`, which
 * the server runs before it closes: open streams would otherwise hold the close forever.
 */
export function registerEventRoutes(
  app: FastifyInstance,
  options: EventRouteOptions,
): { closeAll(): void; revokeStale(): void } {
  const maxStreams = options.maxStreams ?? 64;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const tokenTag = options.tokenTag ?? (() => '');
  const open = new Map<ServerResponse, { subscription: Subscription; tag: string }>();
  const end = (res: ServerResponse, subscription: Subscription): void => {
    subscription.close();
    // A client that stopped reading would hold the server's close forever: cut it.
    if (res.writableNeedDrain) res.destroy();
    else res.end();
  };
  /** A regenerated token ends everything the old one opened: streams and tickets. */
  const revokeStale = (): void => {
    const current = tokenTag();
    options.tickets.revokeExcept(current);
    for (const [res, entry] of open) {
      if (entry.tag === current) continue;
      open.delete(res);
      end(res, entry.subscription);
    }
  };
  // Only while a stream is open: a ticket of an older token is refused when redeemed anyway.
  const checker = repeatWhile(revokeStale, () => open.size > 0, options.tokenCheckMs ?? 1000);

  app.post('/v1/auth/ticket', async () => {
    const { ticket, expiresAt } = options.tickets.issue(tokenTag());
    return { ticket, expiresAt, url: `${eventsUrl}?ticket=${ticket}`, wsUrl: `/v1/jobs/ws?ticket=${ticket}` };
  });

  // No HEAD twin: a HEAD request would hold a stream open that can carry no body.
  app.get<{ Querystring: Record<string, string | string[]> }>(
    eventsUrl,
    { exposeHeadRoute: false },
    (request, reply) => {
      if (open.size >= maxStreams) {
        return sendError(reply, 'unavailable', `Too many event streams are open (${maxStreams}); close one and retry.`);
      }
      // The header is what EventSource sends on reconnect; the query serves a client that
      // reconnects with a new ticket, and so with a new EventSource that lost the header.
      const lastEventId =
        parseLastEventId(request.headers['last-event-id']) ?? parseLastEventId(request.query?.lastEventId);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      });
      res.write('retry: 2000\n\n');
      const subscription = options.hub.subscribe({ lastEventId });
      open.set(res, { subscription, tag: tokenTag() });
      checker.arm();
      void streamEvents(subscription, res, heartbeatMs).finally(() => open.delete(res));
    },
  );

  return {
    closeAll() {
      checker.stop();
      for (const [res, { subscription }] of open) end(res, subscription);
      open.clear();
    },
    revokeStale,
  };
}
