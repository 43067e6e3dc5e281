import type { ServerResponse } from 'node:http';
import type { SequencedEvent, Subscription } from '../core/app';

/** Events written in one chunk at most; keeps one slow write from growing without bound. */
const batchSize = 64;

/** One SSE message; `data` is JSON on a single line, so no line of it can start a field. */
export function formatEvent(event: SequencedEvent): string {
  return `id: ${event.id}\nevent: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** `Last-Event-ID` is the id of the last event seen; anything but a plain number means none. */
export function parseLastEventId(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Copies a hub subscription onto one response until either side ends. A write the
 * socket cannot take yet waits for `drain`; meanwhile the hub keeps publishing into the
 * subscription's bounded buffer, which falls back to a fresh `init` when it overflows,
 * so a slow client never holds up the hub or the other clients.
 */
export async function streamEvents(
  subscription: Subscription,
  res: ServerResponse,
  heartbeatMs: number,
): Promise<void> {
  let blocked = false;
  // A comment line: keeps proxies and idle timeouts from closing a quiet stream.
  const heartbeat = setInterval(() => {
    if (!blocked && !res.writableEnded && !res.destroyed) res.write(': heartbeat\n\n');
  }, heartbeatMs);
  heartbeat.unref();
  const onClose = () => subscription.close();
  res.on('close', onClose);
  try {
    for await (const first of subscription) {
      if (res.writableEnded || res.destroyed) break;
      let chunk = formatEvent(first);
      for (let n = 1; n < batchSize; n += 1) {
        const next = subscription.poll();
        if (!next) break;
        chunk += formatEvent(next);
      }
      if (!res.write(chunk)) {
        blocked = true;
        await drainOrClose(res);
        blocked = false;
      }
    }
  } finally {
    clearInterval(heartbeat);
    res.off('close', onClose);
    subscription.close();
    if (!res.writableEnded) res.end();
  }
}
