/**
 * The `/jsonrpc` endpoint on its own port: HTTP POST, GET with base64 `params` (aria2's
 * way for GET), and WebSocket on the same path, which also carries the notifications.
 * Host and Origin are checked as for the local API, before anything else.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { hostForUrl, isAllowedHost, isAllowedOrigin } from '../guards';
import { errorResponse, invalidRequest, type RpcResponse } from './errors';
import type { Aria2Rpc } from './rpc';

/** aria2's own default `rpc-max-request-size`. */
export const maxRequestBytes = 2 * 1024 * 1024;

export interface TransportOptions {
  rpc: Aria2Rpc;
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Web UIs' origins the user allowed (read at each request, so Settings apply at once). */
  allowedOrigins(): readonly string[];
}

export interface RunningTransport {
  readonly port: number;
  readonly url: string;
  broadcast(message: unknown): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: RpcResponse | RpcResponse[], headers = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json-rpc',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

const refusal = (message: string) => errorResponse(null, { code: 1, message });

/** Reads the body up to the limit; undefined when it is larger. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxRequestBytes) {
        req.removeAllListeners('data');
        req.pause();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** GET: `method`, `id` and `params` (base64 of the JSON array), or a base64 batch in `params`. */
function fromQuery(url: URL): unknown {
  const method = url.searchParams.get('method');
  const encoded = url.searchParams.get('params');
  let params: unknown;
  if (encoded !== null) {
    try {
      params = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
    } catch {
      return undefined;
    }
  }
  if (method === null) return params;
  return { jsonrpc: '2.0', method, id: url.searchParams.get('id'), ...(params !== undefined ? { params } : {}) };
}

/** Requests a browser makes for a page's images, scripts, links and forms: no Origin sent. */
const blindModes = new Set(['no-cors', 'navigate', 'nested-navigate']);

export async function startTransport(options: TransportOptions): Promise<RunningTransport> {
  const { rpc } = options;
  let port = options.port;
  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxRequestBytes });

  /** Host and Origin as the local API checks them; the reason when refused. */
  const refuse = (req: IncomingMessage): string | undefined => {
    if (!isAllowedHost(req.headers.host, port)) return 'Host not allowed: use 127.0.0.1 or localhost.';
    // A page's image, script or link asks without an Origin (so the check below lets it
    // by) and cannot read the answer, but a call's effect happens all the same; browsers
    // name such requests in Sec-Fetch-Mode. Clients and web UIs ask otherwise.
    if (blindModes.has(String(req.headers['sec-fetch-mode']))) {
      return 'Not from a page: a web UI calls this with fetch or a WebSocket from an allowed origin.';
    }
    if (!isAllowedOrigin(req.headers.origin, port, options.allowedOrigins())) {
      return `Origin not allowed: ${req.headers.origin}. Add it to the aria2 allowed origins in Haul's Settings.`;
    }
    return undefined;
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const reason = refuse(req);
      if (reason) return send(res, 403, refusal(reason));
      // A web UI's origin that passed the check may read the answer.
      const cors: Record<string, string> = req.headers.origin
        ? { 'Access-Control-Allow-Origin': req.headers.origin, Vary: 'Origin' }
        : {};
      if (url.pathname !== '/jsonrpc') return send(res, 404, refusal(`No such path: ${url.pathname}`), cors);
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          ...cors,
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers': 'Content-Type',
          'Access-Control-Max-Age': '1728000',
        });
        return res.end();
      }
      if (req.method === 'GET') {
        // JSONP would let any page read the answers through a <script> tag.
        if (url.searchParams.has('jsoncallback')) return send(res, 400, refusal('JSONP is not supported.'), cors);
        const message = fromQuery(url);
        if (message === undefined) return send(res, 400, invalidRequest(), cors);
        const result = await rpc.handle(message);
        return send(res, result.status, result.body, cors);
      }
      if (req.method !== 'POST') return send(res, 405, invalidRequest(), { ...cors, Allow: 'GET, POST, OPTIONS' });
      const body = await readBody(req);
      if (body === undefined) {
        // The rest of the body is never read: the connection ends once the answer is out.
        res.once('finish', () => req.destroy());
        send(res, 413, refusal(`The request is larger than ${maxRequestBytes} bytes.`), {
          ...cors,
          Connection: 'close',
        });
        return;
      }
      const result = await rpc.handleText(body);
      send(res, result.status, result.body, cors);
    })().catch(() => {
      if (!res.headersSent) send(res, 500, refusal('Internal error.'));
      else res.destroy();
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const reason = url.pathname === '/jsonrpc' ? refuse(req) : 'No such path.';
    if (reason) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${reason}\n`);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  const serveSocket = (ws: WebSocket) => {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      void rpc.handleText(data.toString()).then((result) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(result.body));
      });
    });
    ws.on('error', () => ws.terminate());
  };

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://${hostForUrl(host)}:${port}/jsonrpc`,
    broadcast(message) {
      const text = JSON.stringify(message);
      for (const ws of sockets.clients) if (ws.readyState === ws.OPEN) ws.send(text);
    },
    close: async () => {
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
