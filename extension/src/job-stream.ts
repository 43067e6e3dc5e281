/**
 * Haul's job events (`GET /v1/jobs/events`, SSE) read with a streaming fetch, since
 * EventSource cannot send the token. Keeps the live download list; reconnects with backoff.
 */
import type { DownloadJob, JobEvent } from '../../src-common/contract';
import { forgetProof, proveHaul } from './haul-api';

export interface SseFrame {
  event: string;
  data: string;
}

/** Splits an SSE byte stream, fed in arbitrary pieces, into frames. Comments are dropped. */
export class SseSplitter {
  private buffer = '';
  /** A CR at the end of a piece may be half of a CRLF: held until the next piece. */
  private pendingCr = false;

  feed(piece: string): SseFrame[] {
    let text = (this.pendingCr ? '\r' : '') + piece;
    this.pendingCr = text.endsWith('\r');
    if (this.pendingCr) text = text.slice(0, -1);
    this.buffer += text.replace(/\r\n?/g, '\n');
    const frames: SseFrame[] = [];
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) frames.push({ event, data: data.join('\n') });
    }
    return frames;
  }
}

/** Applies one event to the live list of downloads (plugin jobs are not shown here). */
export function applyEvent(jobs: Map<string, DownloadJob>, event: JobEvent): void {
  switch (event.event) {
    case 'init':
      jobs.clear();
      for (const job of event.data.jobs) jobs.set(job.id, job);
      break;
    case 'added':
    case 'updated':
      jobs.set(event.data.job.id, event.data.job);
      break;
    case 'removed':
      jobs.delete(event.data.job.id);
      break;
    default:
      break;
  }
}

export interface StreamHandlers {
  onJobs(jobs: DownloadJob[]): void;
  onStatus(status: 'connecting' | 'live' | 'offline', message?: string): void;
}

/** Opens the stream; returns the stop function. At most one connection at a time. */
export function openJobStream(connection: { haulUrl: string; token: string }, handlers: StreamHandlers): () => void {
  const controller = new AbortController();
  const jobs = new Map<string, DownloadJob>();
  let delay = 500;

  async function connect(): Promise<void> {
    handlers.onStatus('connecting');
    await proveHaul(connection);
    const response = await fetch(new URL('/v1/jobs/events', connection.haulUrl), {
      headers: { Authorization: `Bearer ${connection.token}`, Accept: 'text/event-stream' },
      signal: controller.signal,
    });
    if (!response.ok || !response.body) throw new Error(`Haul answered HTTP ${response.status}`);
    handlers.onStatus('live');
    delay = 500;
    const splitter = new SseSplitter();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      let changed = false;
      for (const frame of splitter.feed(value)) {
        try {
          applyEvent(jobs, { event: frame.event, data: JSON.parse(frame.data) } as JobEvent);
          changed = true;
        } catch {
          // a frame we cannot read is skipped, not fatal
        }
      }
      if (changed) handlers.onJobs([...jobs.values()]);
    }
  }

  void (async () => {
    while (!controller.signal.aborted) {
      try {
        await connect();
      } catch (error) {
        if (controller.signal.aborted) return;
        handlers.onStatus('offline', error instanceof Error ? error.message : String(error));
      }
      forgetProof(connection);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  })();
  return () => controller.abort();
}
