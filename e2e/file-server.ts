import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FileServer {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  /**
   * A URL of a generated file. `size` bytes, sent at about `rate` bytes a second
   * (0: as fast as possible) over all its answers together, so a download takes about
   * size / rate seconds however many connections it opens; answered after
   * `answerAfterMs`. Same name and size: same bytes, so ranges line up.
   */
  file(name: string, options?: { size?: number; rate?: number; answerAfterMs?: number }): string;
  /** Every request for a generated file, in order: its name and Range header. */
  requests: { name: string; range?: string }[];
  close(): Promise<void>;
}

/** Byte i of every generated file: a pattern a resumed download must continue exactly. */
const byteAt = (i: number) => (i * 31 + 7) & 0xff;

/** The bytes of a generated file, for a test to check a digest against. */
export const fileBytes = (size: number): Buffer => body(0, size);

function body(start: number, end: number): Buffer {
  const out = Buffer.alloc(end - start);
  for (let i = start; i < end; i += 1) out[i - start] = byteAt(i);
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * When each paced file (by URL) may send its next chunk (performance.now() ms): its
 * answers take turns, a tenth of the rate every 100 ms in all.
 */
const nextSend = new Map<string, number>();

/** Waits for `file`'s turn to send a chunk of `bytes` at `rate`, and takes it. */
async function turn(file: string, bytes: number, rate: number): Promise<void> {
  const now = performance.now();
  const at = Math.max(now, nextSend.get(file) ?? now);
  nextSend.set(file, at + (bytes / rate) * 1000);
  if (at > now) await sleep(at - now);
}

async function send(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  size: number,
  rate: number,
): Promise<void> {
  const etag = `"${size}-v1"`;
  let start = 0;
  let end = size;
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  const ifRange = req.headers['if-range'];
  if (range && (!ifRange || ifRange === etag)) {
    start = Number(range[1]);
    end = range[2] ? Math.min(size, Number(range[2]) + 1) : size;
    if (start >= size) {
      res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
      return;
    }
    res.writeHead(206, {
      'Content-Range': `bytes ${start}-${end - 1}/${size}`,
      'Content-Length': end - start,
      'Accept-Ranges': 'bytes',
      ETag: etag,
      'Content-Type': 'application/octet-stream',
    });
  } else {
    res.writeHead(200, {
      'Content-Length': size,
      'Accept-Ranges': 'bytes',
      ETag: etag,
      'Content-Type': 'application/octet-stream',
    });
  }
  if (req.method === 'HEAD') return void res.end();
  // Small chunks at a steady pace, so a test sees progress move for a few seconds.
  const chunk = rate > 0 ? Math.max(1024, Math.floor(rate / 10)) : 256 * 1024;
  for (let at = start; at < end && !res.destroyed; at += chunk) {
    const bytes = body(at, Math.min(end, at + chunk));
    if (rate > 0) await turn(file, bytes.length, rate);
    if (res.destroyed) break;
    const ok = res.write(bytes);
    if (rate === 0 && !ok) await new Promise((r) => res.once('drain', r));
  }
  res.end();
}

/** A real HTTP server on 127.0.0.1 serving generated files for the e2e downloads. */
export async function startFileServer(): Promise<FileServer> {
  const requests: FileServer['requests'] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const status = /^\/status\/(\d{3})/.exec(url.pathname);
    if (status) return void res.writeHead(Number(status[1]), { 'Content-Type': 'text/plain' }).end('no file here');
    if (!url.pathname.startsWith('/files/')) return void res.writeHead(404).end();
    requests.push({
      name: decodeURIComponent(url.pathname.slice('/files/'.length)),
      ...(req.headers.range ? { range: req.headers.range } : {}),
    });
    const size = Number(url.searchParams.get('size') ?? 64 * 1024);
    const rate = Number(url.searchParams.get('rate') ?? 0);
    const answerAfterMs = Math.min(10_000, Number(url.searchParams.get('after') ?? 0));
    sleep(answerAfterMs)
      .then(() => send(req, res, `${url.pathname}?${url.searchParams}`, size, rate))
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    requests,
    file: (name, options = {}) => {
      const query = new URLSearchParams({ size: String(options.size ?? 64 * 1024), rate: String(options.rate ?? 0) });
      if (options.answerAfterMs) query.set('after', String(options.answerAfterMs));
      return `${url}/files/${encodeURIComponent(name)}?${query}`;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
