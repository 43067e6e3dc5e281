/**
 * A server some way off, for part f of the download benchmark: nginx pacing each
 * connection (`limit_rate`; `sendfile off`, so it sends a smooth stream, 32 KiB at a time,
 * with no bursts to read a pace from), reached through a relay on 127.0.0.1 that holds
 * every chunk `delayMs` each way, so a round trip costs twice that. A new connection costs
 * a round trip before its first bytes go, as TCP's handshake does: the relay accepts at
 * once, so the client's first bytes wait that much longer. nginx logs each
 * answer's body bytes with its run key; `count(key)` sums them, as the loopback server
 * counts its own.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultSettings } from '../../src-main/core/settings.ts';
import { sha256File } from './download-kills.mjs';
import { MiB, runEngine, runTool, seconds as s, settleDisk } from './download-processes.mjs';

/** A port free on 127.0.0.1 a moment ago. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on `port`; throws after `ms`. */
async function accepting(port, ms) {
  for (const until = Date.now() + ms; Date.now() < until; await sleep(20)) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
  }
  throw new Error(`nginx did not listen on 127.0.0.1:${port} within ${ms} ms`);
}

/**
 * Forwards what `from` sends to `to`, each chunk `delayMs` later, in order, as fast as `to`
 * takes it, and none before `notBefore` (`performance.now()` time). The chunks wait in one
 * queue behind one timer: a timer of their own each, set from a clock that ticks in whole
 * milliseconds, could fire a chunk before the one ahead of it, and the client then read a
 * stream out of order (an answer's bytes before its head).
 */
function delayed(from, to, delayMs, notBefore = 0) {
  const queue = [];
  let timer;
  let ended = false;
  const send = () => {
    timer = undefined;
    const now = performance.now();
    while (queue.length > 0 && queue[0].at <= now) {
      const { chunk } = queue.shift();
      if (to.destroyed) return;
      // A reader that does not keep up holds the sender back, as a full TCP window would.
      if (!to.write(chunk) && !from.isPaused()) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    }
    if (queue.length > 0) timer = setTimeout(send, queue[0].at - now);
    else if (ended) to.end();
  };
  from.on('data', (chunk) => {
    const at = Math.max(performance.now() + delayMs, notBefore, queue.at(-1)?.at ?? 0);
    queue.push({ at, chunk });
    timer ??= setTimeout(send, at - performance.now());
  });
  from.on('end', () => {
    ended = true;
    if (queue.length === 0) to.end();
  });
  from.on('error', () => to.destroy());
}

/**
 * Starts nginx in `dir` serving `files` (URL path -> { path, size }) at `rate` bytes/s a
 * connection, and the relay in front of it: { base, count(key), close() }.
 */
export async function startFarServer(dir, files, { rate, delayMs }) {
  const www = join(dir, 'www');
  const logs = join(dir, 'logs');
  await mkdir(www, { recursive: true });
  await mkdir(logs, { recursive: true });
  for (const [path, file] of files) await symlink(file.path, join(www, path.slice(1)));
  const port = await freePort();
  const access = join(logs, 'access.log');
  // Its worker as this user, who can read the bench's files (root's workers run as nobody).
  const conf = `user ${userInfo().username};
worker_processes 1;
pid ${join(logs, 'nginx.pid')};
error_log ${join(logs, 'error.log')};
events { worker_connections 256; }
http {
  log_format bench '$arg_key $body_bytes_sent $connection';
  access_log ${access} bench;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  server {
    listen 127.0.0.1:${port};
    sendfile off;
    limit_rate ${rate};
    root ${www};
  }
}
`;
  await writeFile(join(dir, 'nginx.conf'), conf);
  const nginx = spawn(
    'nginx',
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(logs, 'error.log'), '-g', 'daemon off;'],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise((resolve) => nginx.once('exit', resolve));
  const sockets = new Set();
  const relay = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      // Each chunk goes on at its time. With Nagle's algorithm the last short chunk of an
      // answer waited for the ACK of the one before, which the client delays: every answer
      // on a kept-alive connection but its first ended 40 ms late (a 64 KiB file one at a
      // time: 92-96 ms an answer, 51-58 ms without).
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    // The handshake's round trip, then the first bytes' own way: with TCP they would reach
    // the server a round trip and a half after the client asked to connect.
    delayed(client, upstream, delayMs, performance.now() + 3 * delayMs);
    delayed(upstream, client, delayMs);
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  try {
    await accepting(port, 5000);
    await new Promise((resolve) => relay.listen(0, '127.0.0.1', resolve));
  } catch (error) {
    nginx.kill();
    throw error;
  }
  return {
    base: `http://127.0.0.1:${relay.address().port}`,
    /** The requests nginx answered for `key`, the body bytes it sent them and the connections they came on. */
    async count(key) {
      const lines = (await readFile(access, 'utf8')).split('\n').filter((line) => line.startsWith(`${key} `));
      return {
        requests: lines.length,
        bytes: lines.reduce((sum, line) => sum + Number(line.split(' ')[1]), 0),
        connections: new Set(lines.map((line) => line.split(' ')[2])).size,
      };
    },
    async close() {
      relay.close();
      for (const socket of sockets) socket.destroy();
      nginx.kill('SIGQUIT');
      await Promise.race([exited, sleep(3000)]);
      if (nginx.exitCode === null) nginx.kill('SIGKILL');
    },
  };
}

/**
 * The files part f downloads: URL path -> size in MiB. Up to 4 MiB a file is one first
 * piece (no trial without a cut); from 6 MiB a trial cuts nothing.
 */
export const farFiles = [4, 6, 8, 16, 32, 64].map((mib) => [`/far${mib}.bin`, mib]);

/**
 * Files of 64 KiB part f fetches in one submit: on loopback the 500 of part c measure
 * Haul's CPU a file; some way off, each costs a round trip, as on a network.
 */
export const farSmallFiles = 150;

/**
 * A row of part f, with no target: Haul's time over aria2c's (`peer`: how aria2c ran), or
 * Haul's alone where aria2c is missing (`a` null). `peerSide(a)`: aria2c's side of the row.
 */
function farRow(measure, peer, h, a, haulSide, peerSide) {
  if (!a) return { measure: `${measure} (no aria2c)`, value: s(h.ms), target: '', ok: undefined, sides: haulSide };
  const value = (h.ms / a.ms).toFixed(2);
  return {
    measure: `${measure}: Haul / ${peer}`,
    value,
    target: '',
    ok: undefined,
    sides: `${haulSide}, ${peerSide(a)}`,
  };
}

/**
 * Part f: each far file through a relay `delayMs` each way from nginx pacing each
 * connection to 20 MiB/s, Haul's engine and aria2c -x8 in turn (`inTurn`); then the
 * `small` files (URL paths) in one submit to `haul serve` (`serveBatch(urls)`) and to
 * aria2c -j3. Rows of the ratio, with no target: the targets are all close to the
 * server.
 */
export async function farRows({ dir, files, inTurn, haul, fresh, aria, small, serveBatch, delayMs = 25 }) {
  const far = await startFarServer(dir, files, { rate: 20 * MiB, delayMs });
  const served = new Map();
  /**
   * Throws unless each file written (`[written, URL path]`) has the bytes served: the relay
   * is the bench's own code between the clients and nginx, and a time is no result for a
   * file it got wrong.
   */
  const check = async (who, written) => {
    for (const [file, path] of written) {
      if (!served.has(path)) served.set(path, await sha256File(files.get(path).path));
      if ((await sha256File(file)) !== served.get(path)) throw new Error(`part f: ${who} wrote ${path} wrong`);
    }
  };
  let key = 0;
  /** Runs `run(urls)` on `paths` under a fresh key; its result with nginx's count of them. */
  const once = async (paths, run) => {
    key += 1;
    const urls = paths.map((path) => `${far.base}${path}?key=f${key}`);
    settleDisk();
    return { ...(await run(urls)), ...(await far.count(`f${key}`)) };
  };
  const rows = [];
  try {
    for (const [path, mib] of farFiles) {
      const [h, a] = await inTurn([
        () =>
          once([path], async ([url]) => {
            const result = await runEngine(haul, { jobs: [{ url, dir: await fresh('haul-f') }] });
            await check('Haul', [[result.paths[0], path]]);
            return result;
          }),
        aria
          ? () =>
              once([path], async ([url]) => {
                const out = await fresh('aria2c-f');
                const result = await runTool('aria2c', ['-q', '-x8', '-s8', '-k1M', '-d', out, '-o', 'out.bin', url]);
                await check('aria2c', [[join(out, 'out.bin'), path]]);
                return result;
              })
          : null,
      ]);
      const sent = (r) => (Math.max(...r.all.map((x) => x.bytes)) / (mib * MiB)).toFixed(3);
      const last = h.all.at(-1);
      const measure = `${mib} MiB, ${delayMs} ms away, 20 MiB/s per connection`;
      // The connections the server saw (the engine's own count comes from progress every 250 ms).
      const haulSide = `Haul ${s(h.ms)} (${last.requests} requests on ${last.connections} connections, sent/size ${sent(h)})`;
      rows.push(
        farRow(
          measure,
          'aria2c -x8',
          h,
          a,
          haulSide,
          (peer) => `aria2c ${s(peer.ms)} (${peer.all.at(-1).requests} requests, sent/size ${sent(peer)})`,
        ),
      );
    }
    if (small.length > 0) {
      const written = (folder) => small.map((path) => [join(folder, basename(path)), path]);
      const haulBatch = async (urls) => {
        const result = await serveBatch(urls);
        await check('Haul', written(result.dir));
        return result;
      };
      const ariaBatch = async (urls) => {
        const out = await fresh('aria2c-f');
        const list = join(out, 'list.txt');
        await writeFile(list, urls.join('\n'));
        const result = await runTool('aria2c', ['-q', '-j3', '-d', out, '-i', list]);
        await check('aria2c', written(out));
        return result;
      };
      const [h, a] = await inTurn([() => once(small, haulBatch), aria ? () => once(small, ariaBatch) : null]);
      const measure = `${small.length} x 64 KiB, ${delayMs} ms away, one submit`;
      const side = (r) => `${s(r.ms)} (${r.all.at(-1).requests} requests on ${r.all.at(-1).connections} connections)`;
      // Both fetch three at a time: aria2c -j3, and Haul's downloads at once by default.
      const slots = defaultSettings.maxConcurrentDownloads;
      const haulSide = `Haul ${side(h)}, ${((h.ms * slots) / small.length).toFixed(0)} ms a file a slot`;
      rows.push(
        farRow(measure, 'aria2c -j3', h, a, haulSide, (peer) => `aria2c ${side(peer)}; a round trip ${2 * delayMs} ms`),
      );
    }
  } finally {
    await far.close();
  }
  return rows;
}
