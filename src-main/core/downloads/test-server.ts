import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll } from 'vitest';

/**
 * An HTTP server for tests that misbehaves on purpose, on 127.0.0.1 only. Each file
 * route takes faults (fixed, or chosen per request) and every answer is logged with the
 * bytes it put on the wire, so tests can prove that a resume did not fetch again.
 */
export interface Faults {
  /** Bytes per second, per connection. */
  rateLimit?: number;
  /** With `rateLimit`: bytes written at once before each wait. @default rateLimit / 20 */
  stepBytes?: number;
  /**
   * With `rateLimit`: each step is due when the rate from the answer's start says, so a
   * wait the thread made longer (the client busy in this process, a timer late) is made
   * up at once, and the rate holds over any stretch of some milliseconds. Without it each
   * step waits its own time after the last, and a busy thread slows the stream.
   */
  onSchedule?: boolean;
  /**
   * Bytes per second for all answers of the route together: each write waits its turn
   * after the route's last one (a server capping its connections together).
   */
  routeRate?: number;
  /** Destroys the connection after this many body bytes. */
  resetAfter?: number;
  /** Stops sending after this many body bytes and keeps the connection open. */
  stallAfter?: number;
  /** Goes silent for `pauseMs` after this many body bytes, then carries on. */
  pauseAfter?: number;
  pauseMs?: number;
  /** Closes the connection cleanly after this many body bytes: a body shorter than announced. */
  closeAfter?: number;
  /** Answers Range requests with the whole file, and does not advertise ranges. */
  ignoreRanges?: boolean;
  /** @default 'strong' */
  etag?: 'strong' | 'weak' | 'per-request' | 'none';
  lastModified?: string;
  /** Content-Length claims this many bytes more than are sent; the socket then closes. */
  lieLength?: number;
  /** No Content-Length: chunked transfer encoding. */
  chunked?: boolean;
  /** Answers a Range request with the whole file gzipped (Content-Encoding: gzip). */
  gzipOnRange?: boolean;
  /** Answers every request with the whole file gzipped, whatever Accept-Encoding said. */
  gzipAlways?: boolean;
  /** Answers this status with a short text body instead of the file. */
  status?: number;
  retryAfter?: string;
  contentDisposition?: string;
  /** @default 'application/octet-stream' */
  contentType?: string;
  /** Serves these bytes instead of the route's file: another version of it. */
  body?: Buffer;
  /** The ETag header as given, instead of `etag`'s. */
  etagValue?: string;
  /** Content-Range's total is off by this many bytes (the bytes and their length are right). */
  totalDelta?: number;
  /** Answers every Range request 416, with the file's size. */
  refuseRanges?: boolean;
  /** A 206 carries at most this many bytes, with a Content-Range that says so. */
  capRange?: number;
  /** A 206 runs from the start asked for to the file's end, whatever end was asked for. */
  rangeToEnd?: boolean;
  /** At most this many answers of the route at once; one more gets `overLimit`. */
  maxConcurrent?: number;
  /** The status a request beyond `maxConcurrent` gets. @default 503 */
  overLimit?: number;
  /** Never answers: the request waits until the client gives up. */
  hold?: boolean;
  /** Answers a plain request with a 206 whose Content-Range covers the whole file. */
  alwaysRange?: boolean;
}

export interface ServedRequest {
  path: string;
  range: string | null;
  ifRange: string | null;
  status: number;
  headers: IncomingMessage['headers'];
  /** Body bytes written for this answer. */
  bytes: number;
  /**
   * With `onSchedule`: the most any step of this answer was sent behind its schedule (ms),
   * made up at once with the steps after it: the thread was held up, and the stream had a
   * burst it was not asked to have.
   */
  lateMs: number;
}

type FaultPlan = Faults | ((index: number, request: IncomingMessage) => Faults);

interface Route {
  body?: Buffer;
  faults?: FaultPlan;
  location?: string;
  redirectStatus?: number;
  served: number;
  /**
   * Answers of the route being sent now. As a server limiting connections counts them (nginx's
   * `limit_conn`): an answer stops counting once its last byte is handed to the socket, not
   * when a rate limit's wait after it ends.
   */
  active: number;
  /** When the route's next write may go, with `routeRate` (ms, performance.now()). */
  nextTurn?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'bad' | null {
  const match = /^bytes=(\d+)-(\d*)$/u.exec(header ?? '');
  if (!match) return null;
  const start = Number(match[1]);
  const end = match[2] ? Math.min(Number(match[2]) + 1, size) : size;
  return start >= size || end <= start ? 'bad' : { start, end };
}

export class TestServer {
  readonly log: ServedRequest[] = [];
  connections = 0;
  private readonly routes = new Map<string, Route>();
  private readonly sockets = new Set<Socket>();
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private port = 0;

  static async start(): Promise<TestServer> {
    const server = new TestServer();
    await server.listen();
    return server;
  }

  /**
   * A server for the tests of the calling file: listening before its first test, closed
   * after its last (vitest's hooks, registered at the call).
   */
  static forFile(): TestServer {
    const server = new TestServer();
    beforeAll(() => server.listen());
    afterAll(() => server.close());
    return server;
  }

  private async listen(): Promise<void> {
    this.server.on('connection', (socket) => {
      this.connections += 1;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  url(path: string): string {
    if (this.port === 0) throw new Error('The test server is not listening yet: ask for URLs inside a test.');
    return `http://127.0.0.1:${this.port}${path}`;
  }

  file(path: string, body: Buffer, faults: FaultPlan = {}): void {
    this.routes.set(path, { body, faults, served: 0, active: 0 });
  }

  redirect(path: string, location: string, status = 302): void {
    this.routes.set(path, { location, redirectStatus: status, served: 0, active: 0 });
  }

  /** Body bytes sent since `from` (an index into the log). */
  bytesServed(from = 0): number {
    return this.log.slice(from).reduce((sum, r) => sum + r.bytes, 0);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const route = this.routes.get(path);
    const entry: ServedRequest = {
      path,
      range: req.headers.range ?? null,
      ifRange: (req.headers['if-range'] as string | undefined) ?? null,
      status: 0,
      headers: req.headers,
      bytes: 0,
      lateMs: 0,
    };
    this.log.push(entry);
    if (!route) return this.answer(res, entry, 404, {});
    const index = route.served;
    route.served += 1;
    if (route.location !== undefined) {
      return this.answer(res, entry, route.redirectStatus ?? 302, { location: route.location });
    }
    const faults = typeof route.faults === 'function' ? route.faults(index, req) : (route.faults ?? {});
    if (faults.status) {
      const extra: Record<string, string> = faults.retryAfter ? { 'retry-after': faults.retryAfter } : {};
      return this.answer(res, entry, faults.status, extra);
    }
    if (faults.hold) return new Promise<void>((resolve) => res.once('close', () => resolve()));
    if (faults.maxConcurrent !== undefined) {
      if (route.active >= faults.maxConcurrent) return this.answer(res, entry, faults.overLimit ?? 503, {});
    }
    route.active += 1;
    let counted = true;
    const sent = (): void => {
      if (counted) route.active -= 1;
      counted = false;
    };
    res.once('close', sent);
    await this.serveFile(req, res, faults.body ?? route.body!, faults, index, entry, route, sent);
  }

  private answer(res: ServerResponse, entry: ServedRequest, status: number, headers: Record<string, string>): void {
    entry.status = status;
    res.writeHead(status, { 'content-type': 'text/plain', ...headers });
    res.end(`status ${status}\n`);
  }

  private async serveFile(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    faults: Faults,
    index: number,
    entry: ServedRequest,
    route: Route,
    sent: () => void,
  ): Promise<void> {
    const headers: Record<string, string> = { 'content-type': faults.contentType ?? 'application/octet-stream' };
    const etagMode = faults.etag ?? 'strong';
    const etag =
      faults.etagValue ??
      (etagMode === 'strong'
        ? '"v1"'
        : etagMode === 'weak'
          ? 'W/"v1"'
          : etagMode === 'per-request'
            ? `"r${index}"`
            : null);
    if (etag) headers['etag'] = etag;
    if (faults.lastModified) headers['last-modified'] = faults.lastModified;
    if (faults.contentDisposition !== undefined) headers['content-disposition'] = faults.contentDisposition;
    if (!faults.ignoreRanges) headers['accept-ranges'] = 'bytes';

    const ifRange = req.headers['if-range'];
    const validatorOk = ifRange === undefined || ifRange === etag || ifRange === faults.lastModified;
    const range = faults.ignoreRanges || !validatorOk ? null : parseRange(req.headers.range, body.length);
    let status = 200;
    let data = body;
    if (range === 'bad' || (range && faults.refuseRanges)) {
      entry.status = 416;
      res.writeHead(416, { 'content-range': `bytes */${body.length}` });
      res.end();
      return;
    }
    if ((range && faults.gzipOnRange) || faults.gzipAlways) {
      data = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    } else if (!range && faults.alwaysRange) {
      status = 206;
      headers['content-range'] = `bytes 0-${body.length - 1}/${body.length}`;
    } else if (range) {
      status = 206;
      const end = Math.min(faults.rangeToEnd ? body.length : range.end, range.start + (faults.capRange ?? Infinity));
      data = body.subarray(range.start, end);
      headers['content-range'] = `bytes ${range.start}-${end - 1}/${body.length + (faults.totalDelta ?? 0)}`;
    }
    if (!faults.chunked) headers['content-length'] = String(data.length + (faults.lieLength ?? 0));
    entry.status = status;
    res.writeHead(status, headers);
    await this.send(res, data, faults, entry, route, sent);
  }

  private async send(
    res: ServerResponse,
    data: Buffer,
    faults: Faults,
    entry: ServedRequest,
    route: Route,
    /** Called once every byte is handed to the socket. */
    sent: () => void,
  ): Promise<void> {
    const step = faults.rateLimit ? (faults.stepBytes ?? Math.max(1024, Math.floor(faults.rateLimit / 20))) : 64 * 1024;
    let offset = 0;
    let paused = false;
    const began = performance.now();
    while (offset < data.length && !res.destroyed) {
      if (faults.resetAfter !== undefined && offset >= faults.resetAfter) {
        // Let the client read what was sent: Linux drops unread data when the RST lands.
        await sleep(30);
        res.socket?.resetAndDestroy();
        return;
      }
      if (faults.stallAfter !== undefined && offset >= faults.stallAfter) {
        // Silent until the client gives up: the socket stays open.
        await new Promise<void>((resolve) => res.once('close', () => resolve()));
        return;
      }
      if (faults.closeAfter !== undefined && offset >= faults.closeAfter) {
        await sleep(30);
        res.socket?.destroySoon();
        return;
      }
      if (faults.pauseAfter !== undefined && offset >= faults.pauseAfter && !paused) {
        paused = true;
        await sleep(faults.pauseMs ?? 1000);
      }
      const limit = Math.min(
        faults.resetAfter ?? Infinity,
        faults.stallAfter ?? Infinity,
        faults.closeAfter ?? Infinity,
        paused ? Infinity : (faults.pauseAfter ?? Infinity),
      );
      const size = Math.min(step, data.length - offset, limit - offset);
      if (faults.routeRate) {
        const now = performance.now();
        const turn = Math.max(now, route.nextTurn ?? now);
        route.nextTurn = turn + (size / faults.routeRate) * 1000;
        if (turn > now) await sleep(turn - now);
        if (res.destroyed) break;
      }
      const ok = res.write(data.subarray(offset, offset + size));
      entry.bytes += size;
      offset += size;
      if (!ok && !res.destroyed)
        await new Promise<void>((resolve) => {
          const done = (): void => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      if (offset >= data.length) sent();
      if (faults.rateLimit) {
        const due = faults.onSchedule
          ? began + (offset / faults.rateLimit) * 1000 - performance.now()
          : (size / faults.rateLimit) * 1000;
        if (due > 0) await sleep(due);
        else entry.lateMs = Math.max(entry.lateMs, -due);
      }
    }
    if (faults.lieLength) res.socket?.destroy();
    else res.end();
  }
}
