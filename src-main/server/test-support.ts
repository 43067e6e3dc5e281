/** Helpers for the server's tests: a core and server in a temp dir, raw HTTP, an SSE reader. */
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { createCoreWithParts, type Core, type CoreParts, type CoreOptions } from '../core/app';
import type { DownloadRunner } from '../core/jobs/runner';
import { tempDir } from '../test/temp-dir';
import { startServer, type RunningServer, type ServerOptions } from './http';
import { loadOrCreateToken } from '../core/api-token';

export interface RawResponse {
  status: number;
  headers: Record<string, unknown>;
  body: string;
  /** The body parsed; loosely typed, since tests read whatever the route answers. */
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Raw http.request: fetch would rewrite the Host header, which some tests are about. */
export function raw(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) }),
        );
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** A runner that holds every download until it is paused, cancelled or shut down. */
export const heldRunner: DownloadRunner = ({ signal }) =>
  new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

/** A runner that reports some progress and finishes at once. */
export const quickRunner: DownloadRunner = async ({ job, progress }) => {
  progress({ receivedBytes: 50, totalBytes: 100, speed: 10, connections: 1 });
  return {
    path: `${job.dir}/${job.id}.bin`,
    fileName: `${job.id}.bin`,
    totalBytes: 100,
    finalUrl: job.url,
    contentType: null,
    sha256: null,
  };
};

export interface TestApi {
  core: Core & CoreParts;
  server: RunningServer;
  token: string;
  dataDir: string;
  /** An authorised JSON request. */
  call(method: string, path: string, body?: unknown): Promise<RawResponse>;
  close(): Promise<void>;
}

export async function startTestApi(
  options: { runner?: DownloadRunner; core?: Partial<CoreOptions>; server?: Partial<ServerOptions> } = {},
): Promise<TestApi> {
  const dir = tempDir();
  const core = createCoreWithParts({
    dataDir: dir.path,
    downloadDir: dir.path,
    runtime: 'headless',
    version: '1.2.3',
    downloadRunner: options.runner ?? heldRunner,
    ...options.core,
  });
  const token = loadOrCreateToken(dir.path);
  const server = await startServer({ core, token, port: 0, ...options.server });
  return {
    core,
    server,
    token,
    dataDir: dir.path,
    call: (method, path, body) =>
      raw(server.port, path, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      }),
    async close() {
      await server.close();
      await core.close();
      dir.remove();
    },
  };
}

export interface ReceivedEvent {
  id: number;
  event: string;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Reads an SSE stream over a raw socket and keeps every event and every comment. */
export class SseReader {
  readonly events: ReceivedEvent[] = [];
  comments = 0;
  status = 0;
  ended = false;
  private buffer = '';
  private readonly req: ClientRequest;
  readonly ready: Promise<IncomingMessage>;

  constructor(port: number, path: string, headers: Record<string, string>) {
    this.req = httpRequest({ host: '127.0.0.1', port, path, headers });
    this.ready = new Promise((resolve, reject) => {
      this.req.on('response', (res) => {
        this.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => this.feed(chunk));
        res.on('end', () => (this.ended = true));
        res.on('close', () => (this.ended = true));
        resolve(res);
      });
      this.req.on('error', (error) => {
        this.ended = true;
        reject(error);
      });
    });
    this.req.end();
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const fields: Record<string, string> = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments += 1;
        const match = /^(\w+): ?(.*)$/.exec(line);
        if (match) fields[match[1]!] = match[2]!;
      }
      if (fields.event)
        this.events.push({ id: Number(fields.id), event: fields.event, data: JSON.parse(fields.data!) });
    }
  }

  get lastId(): number {
    return this.events.at(-1)?.id ?? -1;
  }

  close(): void {
    this.req.destroy();
  }
}

/** Polls until `check` holds; fails after `limit` rounds instead of hanging. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, limit = 1000): Promise<void> {
  for (let round = 0; round < limit; round += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Gave up waiting for ${what}`);
}

/** The live list as a client rebuilds it from its events: init replaces, the rest patch. */
export function rebuildState(events: readonly ReceivedEvent[]): Map<string, unknown> {
  const state = new Map<string, unknown>();
  for (const { event, data } of events) {
    if (event === 'init') {
      state.clear();
      for (const job of [...data.jobs, ...data.actionJobs]) state.set(job.id, job);
    } else if (event === 'removed' || event === 'action_removed') state.delete(data.job.id);
    else state.set(data.job.id, data.job);
  }
  return state;
}
