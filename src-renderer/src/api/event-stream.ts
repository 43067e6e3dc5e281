import type { JobEvent, JobEventName } from '../../../src-common/contract';
import { SseParser, type SseFrame } from './sse-parser';

export type StreamStatus = 'connecting' | 'live' | 'polling' | 'offline';

export interface EventStreamOptions {
  fetch: typeof fetch;
  token(): string | null;
  /** Reads a full snapshot: the fallback when the server has no event stream. */
  snapshot(): Promise<JobEvent | undefined>;
  onEvent(event: JobEvent): void;
  onStatus?(status: StreamStatus, message?: string): void;
  /** @default '/v1/jobs/events' */
  path?: string;
  /** Polling interval when the event route is missing. @default 1000 */
  pollMs?: number;
  /** Reconnect backoff bounds. @default { min: 500, max: 10000 } */
  backoff?: { min: number; max: number };
}

/**
 * The contract's event names, checked against its type: importing its runtime list would
 * pull zod into the page bundle for one array.
 */
const known: Record<JobEventName, true> = {
  init: true,
  added: true,
  updated: true,
  removed: true,
  action_added: true,
  action_updated: true,
  action_removed: true,
  task_added: true,
  task_updated: true,
  task_removed: true,
};
const names = new Set<string>(Object.keys(known));

/** Turns one SSE frame into a job event; anything we do not know is dropped, not thrown. */
export function frameToEvent(frame: SseFrame): JobEvent | undefined {
  if (!names.has(frame.event)) return undefined;
  try {
    const data = JSON.parse(frame.data) as { job?: { id?: unknown }; jobs?: unknown };
    const event = frame.event as JobEventName;
    if (event === 'init' ? !Array.isArray(data.jobs) : typeof data.job?.id !== 'string') return undefined;
    return { event, data } as JobEvent;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * The browser's job event stream: a streaming fetch of the SSE route (EventSource cannot
 * send the token), reconnecting with backoff and Last-Event-ID. A server without the
 * route (404) is polled with `jobs.snapshot` instead. Returns the stop function.
 */
export function openEventStream(options: EventStreamOptions): () => void {
  const controller = new AbortController();
  const { signal } = controller;
  const { min, max } = options.backoff ?? { min: 500, max: 10_000 };
  const status = options.onStatus ?? (() => {});
  let lastEventId: string | undefined;

  async function poll(): Promise<void> {
    status('polling');
    while (!signal.aborted) {
      const event = await options.snapshot();
      if (event && !signal.aborted) options.onEvent(event);
      await sleep(options.pollMs ?? 1000, signal);
    }
  }

  /** One connection; resolves `missing` when the server has no such route. */
  async function connect(): Promise<'missing' | 'ended'> {
    const token = options.token();
    const response = await options.fetch(options.path ?? '/v1/jobs/events', {
      headers: {
        Accept: 'text/event-stream',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(lastEventId !== undefined ? { 'Last-Event-ID': lastEventId } : {}),
      },
      signal,
    });
    if (response.status === 404) return 'missing';
    if (!response.ok || !response.body) {
      const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
      throw new Error(body?.error?.message ?? `the event stream answered ${response.status}`);
    }
    const parser = new SseParser((frame) => {
      lastEventId = frame.id;
      const event = frameToEvent(frame);
      if (event) options.onEvent(event);
    });
    status('live');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return 'ended';
      parser.push(value);
    }
  }

  void (async () => {
    let delay = min;
    while (!signal.aborted) {
      status('connecting');
      const started = Date.now();
      try {
        if ((await connect()) === 'missing') return poll();
      } catch (error) {
        if (signal.aborted) return;
        status('offline', error instanceof Error ? error.message : String(error));
      }
      // A connection that lived a while was healthy: start the backoff over.
      if (Date.now() - started > 5000) delay = min;
      await sleep(delay, signal);
      delay = Math.min(max, delay * 2);
    }
  })();

  return () => controller.abort();
}
