/**
 * The loopback file server of the download benchmark. Every peer downloads from it in
 * the same run; it counts, per run key, the requests it answered and the body bytes it
 * handed to the socket, so over-fetch is measured where it costs: at the server.
 * Query parameters: `rate` (bytes/s of each connection, kept across the answers it
 * carries: after each 256 KiB piece, the last too, an answer waits until the rate allows
 * what its connection has sent; an answer's first piece goes at once only on a connection
 * that has caught up with its rate, so asking for a file in more answers on the same
 * connections gains nothing), `reset` (the
 * first answer that reaches this file offset is cut there with a TCP reset, once per
 * key) and `key` (which counter the request adds to; one per peer and run).
 */
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** `files`: path -> { path, size }. */
export async function startDownloadServer(files) {
  /** Each connection's pace: bytes sent since `began`. */
  const paces = new WeakMap();
  const counters = new Map();
  const resetDone = new Set();
  const total = { bytes: 0 };
  const counter = (key) => {
    let c = counters.get(key);
    if (!c) counters.set(key, (c = { bytes: 0, requests: 0, open: 0, mostAtOnce: 0 }));
    return c;
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const file = files.get(url.pathname);
    const count = counter(url.searchParams.get('key') ?? '');
    count.requests += 1;
    // Answers being sent at once: the connections a client really used, whatever it reported.
    count.open += 1;
    count.mostAtOnce = Math.max(count.mostAtOnce, count.open);
    res.once('close', () => (count.open -= 1));
    if (!file) return res.writeHead(404).end();
    const rate = Number(url.searchParams.get('rate') ?? 0);
    const resetAt = Number(url.searchParams.get('reset') ?? 0);
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    let start = 0;
    let end = file.size;
    const headers = { 'accept-ranges': 'bytes', etag: '"bench"', 'content-type': 'application/octet-stream' };
    if (range) {
      start = Number(range[1]);
      end = range[2] ? Math.min(file.size, Number(range[2]) + 1) : file.size;
      if (start >= end) return res.writeHead(416, { 'content-range': `bytes */${file.size}` }).end();
      headers['content-range'] = `bytes ${start}-${end - 1}/${file.size}`;
    }
    headers['content-length'] = String(end - start);
    res.writeHead(range ? 206 : 200, headers);
    const resetKey = `${url.pathname} ${url.searchParams.get('key')}`;
    const cutAt = resetAt > start && resetAt < end && !resetDone.has(resetKey) ? resetAt : null;
    if (cutAt !== null) resetDone.add(resetKey);
    // An answer asked for while the one before it on this connection is still being paced
    // waits its turn; a connection that has caught up starts its clock again.
    let pace = paces.get(req.socket);
    const behind = rate && pace ? (pace.sent / rate) * 1000 - (performance.now() - pace.began) : 0;
    if (behind > 0) await sleep(behind);
    else paces.set(req.socket, (pace = { began: performance.now(), sent: 0 }));
    const stop = cutAt ?? end;
    for await (const chunk of createReadStream(file.path, { start, end: stop - 1, highWaterMark: 256 * 1024 })) {
      if (res.destroyed) break;
      if (!res.write(chunk)) {
        await new Promise((r) => {
          const done = () => (res.off('drain', done), res.off('close', done), r());
          res.on('drain', done);
          res.on('close', done);
        });
      }
      pace.sent += chunk.length;
      count.bytes += chunk.length;
      total.bytes += chunk.length;
      if (rate) {
        const ahead = (pace.sent / rate) * 1000 - (performance.now() - pace.began);
        if (ahead > 0) await sleep(ahead);
      }
    }
    if (cutAt !== null && !res.destroyed) {
      // Let the client read what was sent: Linux drops unread data when the reset lands.
      await sleep(30);
      res.socket?.resetAndDestroy();
      return;
    }
    res.end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    /** Every body byte sent, all keys together. */
    total,
    /** Requests, bytes and the most answers sent at once (`mostAtOnce`) of one key so far. */
    count: (key) => ({ ...counter(key) }),
    close() {
      server.close();
      server.closeAllConnections();
    },
  };
}
