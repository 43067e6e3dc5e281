#!/usr/bin/env node
/**
 * Download benchmark (issues 4 and 16): Haul against curl, wget and aria2c on the same
 * loopback server in the same run, as ratios. `npm run bench -- downloads`, or
 * `node --import tsx scripts/bench-downloads.mjs`. Parts (BENCH_DOWNLOADS_PARTS, default
 * all; profiling one part should not wait for the others):
 *   a  1 GiB unthrottled, default connections: wall and CPU seconds against curl (wget
 *      and aria2c -x8 beside them), bytes the server sent and requests
 *   b  256 MiB, each connection throttled to 20 MiB/s: Haul against aria2c -x8, and against
 *      aria2c at Haul's own ceiling of connections (and 128 and 64 MiB, no target); beside
 *      them the floor, a client told the size that asks for it all at once on Haul's
 *      connections (scripts/bench/ranges-floor.mjs)
 *   c  500 files of 64 KiB in one submit to `haul serve`: against aria2c -j3 and
 *      curl --parallel --parallel-max 3; beside them, with no target, the engine alone
 *      (three at a time) and the stack alone, no Haul (scripts/bench/stack-alone.mjs)
 *   d  peak RSS during 1 GiB on 8 connections (throttled per connection so 8 are worth it),
 *      and at the default ceiling of connections (no target)
 *   r  200 MiB with a connection reset at 100 MiB: wall and bytes the server sent
 *   s  one URL per submit over HTTP (p50 of 200), and 10,000 URLs in one submit; both the
 *      median of `runs` starts
 *   e  200 MiB killed (SIGKILL) 10 times at random points: right hash, extra bytes
 *   f  4, 6, 8, 16, 32 and 64 MiB from a server some way off (nginx pacing each connection to 20
 *      MiB/s behind a relay that holds each chunk 25 ms each way, and a new connection's
 *      first bytes a round trip more): against aria2c -x8; and 150 files of 64 KiB from it
 *      in one submit to `haul serve`, against aria2c -j3; each file checked against the one
 *      served; no target (see scripts/bench/far-server.mjs)
 * BENCH_DOWNLOADS_RUNS (default 3): runs per timed measure, the median is shown; Haul and
 * the peers it is compared with take turns, one run each a round, the order turning by one
 * each round.
 * BENCH_DOWNLOADS_CHILD_ARGS adds Node flags to Haul, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`.
 * Wall times on a shared machine are noisy; CPU seconds, bytes and requests are not.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { request } from 'undici';
import { killRows, sha256File } from './bench/download-kills.mjs';
import {
  buildHaul,
  hasTool,
  MiB,
  median,
  processStats,
  rpc,
  runEngine,
  runTool,
  seconds as s,
  settleDisk,
  startServe,
} from './bench/download-processes.mjs';
import { startDownloadServer } from './bench/download-server.mjs';
import { farFiles, farRows, farSmallFiles } from './bench/far-server.mjs';
import { submitRows } from './bench/download-submits.mjs';
import { defaultSettings } from '../src-main/core/settings.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const rangesFloor = join(root, 'scripts/bench/ranges-floor.mjs');
/** Haul's most connections a download (its default setting); aria2c's `-x8` is the target's peer. */
const maxConnections = defaultSettings.connectionsPerDownload;
const parts = process.env.BENCH_DOWNLOADS_PARTS ?? 'abcdrsef';
const runs = Math.max(1, Number(process.env.BENCH_DOWNLOADS_RUNS ?? 3));
/** How long part d waits after the download before it reads what `haul serve` keeps. */
const idleAfterMs = 5000;

async function makeFile(path, size) {
  const block = randomBytes(16 * MiB);
  const out = createWriteStream(path);
  for (let left = size, i = 0; left > 0; i += 1) {
    const chunk = Buffer.from(block.subarray(0, Math.min(block.length, left)));
    chunk.writeUInt32LE(i, 0); // no two blocks alike
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
    left -= chunk.length;
  }
  await new Promise((r) => out.end(r));
}

/** A row: the ratio (Haul / peer) against its target, every side's number beside it. */
function ratioRow(measure, haul, peer, target, sides) {
  const value = haul / peer;
  // A ratio that rounds to its target shows a third decimal: 0.903 is missed, 0.90 reads as met.
  const shown = value.toFixed(2) === target.toFixed(2) ? value.toFixed(3) : value.toFixed(2);
  return { measure, value: shown, target: `<= ${target.toFixed(2)}`, ok: value <= target, sides };
}

export async function benchDownloads() {
  const work = await mkdtemp(join(tmpdir(), 'haul-bench-'));
  const rows = [];
  const push = rows.push.bind(rows);
  // Printed as they come: a long run that fails late still shows what it measured.
  rows.push = (...added) => (
    added.forEach((row) => console.error(`  ${row.measure}: ${row.value}  ${row.sides ?? ''}`)),
    push(...added)
  );
  const files = new Map();
  const haul = await buildHaul(root);
  const add = async (name, size) => {
    const path = join(work, name);
    await makeFile(path, size);
    files.set(`/${name}`, { path, size });
  };
  if (/[ad]/.test(parts)) await add('big.bin', 1024 * MiB);
  if (parts.includes('b')) for (const size of [256, 128, 64]) await add(`mid${size}.bin`, size * MiB);
  if (/[er]/.test(parts)) await add('crash.bin', 200 * MiB);
  // nginx answers `-v`, not `--version`.
  const far = parts.includes('f') && hasTool('nginx', 'nginx', '-v');
  const smallCount = parts.includes('c') ? 500 : far ? farSmallFiles : 0;
  for (let i = 0; i < smallCount; i += 1) await add(`small-${i}.bin`, 64 * 1024);
  if (far) for (const [path, mib] of farFiles) await add(path.slice(1), mib * MiB);
  const server = await startDownloadServer(files);
  const { base } = server;
  // One untimed read of each large file through the server: the first timed run (Haul's)
  // would otherwise meet a server whose code has not run yet, which the peers after it do not.
  for (const [path, file] of files) {
    if (file.size < 64 * MiB) continue;
    const answer = await request(`${base}${path}?key=warm-up`);
    for await (const chunk of answer.body) void chunk;
  }
  const fresh = async (name) => {
    const dir = join(work, name);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    return dir;
  };
  // `haul serve` on a data folder it has started on once, as a returning user's: on the
  // first start the bundled plugins run once to learn what they register, which none of
  // the measures is about. Made once, copied for each start.
  let template;
  const startReturning = async (name, downloadDir) => {
    if (!template) {
      template = await fresh('haul-template');
      const once = await startServe(haul, template, await fresh('haul-template-dl'));
      try {
        for (let i = 0; i < 500; i += 1) {
          const { plugins } = await rpc(once, 'plugins.list', {});
          if (plugins.every((p) => p.state !== 'starting')) break;
          await sleep(20);
        }
      } finally {
        await once.stop();
      }
    }
    const data = await fresh(name);
    await cp(template, data, { recursive: true });
    // As the template's first start left it: the copy's own folder is made with the default mode.
    await chmod(data, 0o700);
    return startServe(haul, data, downloadDir);
  };
  let key = 0;
  /** Runs `fn(url)` against a fresh counter; returns its result with the server's count. */
  const counted = async (path, query, fn) => {
    key += 1;
    const url = `${base}${path}?${new URLSearchParams({ ...query, key: `k${key}` })}`;
    settleDisk();
    const result = await fn(url);
    return { ...result, ...server.count(`k${key}`) };
  };
  const haulOnce = (path, query, options = {}) =>
    counted(path, query, async (url) => runEngine(haul, { jobs: [{ url, dir: await fresh('haul'), options }] }));
  const toolOnce = (path, query, command, args) =>
    counted(path, query, async (url) => runTool(command, args(url, await fresh(command))));
  const summary = (all) => ({ ms: median(all.map((r) => r.ms)), cpuMs: median(all.map((r) => r.cpuMs)), all });
  const repeat = async (n, fn) => (await inTurn(n, [fn]))[0];
  /**
   * Runs each of `fns` once a round, in turn, `n` rounds: the speed of this shared
   * machine drifts by half within minutes, and a ratio of two sides run one after the
   * other would carry that drift. The order turns by one each round: what a run costs
   * the kernel here depends on the run before it (see docs/performance.md, "The
   * gigabyte's CPU on this VM"), so no side always follows the same one. Null entries
   * are skipped (a peer not installed).
   */
  const inTurn = async (n, fns) => {
    const all = fns.map(() => []);
    for (let i = 0; i < n; i += 1) {
      for (let j = 0; j < fns.length; j += 1) {
        const k = (i + j) % fns.length;
        if (fns[k]) all[k].push(await fns[k]());
      }
    }
    return all.map((results, k) => (fns[k] ? summary(results) : null));
  };
  /**
   * `haul serve` fetching `urls` in one submit, on a returning user's data folder, polled
   * every 20 ms until each has ended: { ms, cpuMs } from the submit, and the `dir` it wrote
   * to. A batch with a failed download, or one not done within two minutes, throws: its
   * time would not be the row's.
   */
  const serveBatch = async (urls) => {
    const dir = await fresh('haul-batch');
    const serving = await startReturning('haul-batch-data', dir);
    try {
      settleDisk();
      const cpuBefore = processStats(serving.pid).cpuMs;
      const started = performance.now();
      await rpc(serving, 'downloads.submit', { url: urls.join('\n'), dir });
      for (let i = 0; i < 6000; i += 1) {
        const { queues } = await rpc(serving, 'jobs.queues', {});
        const { completed = 0, failed = 0 } = queues.find((q) => q.name === 'download').counts;
        if (failed > 0) throw new Error(`haul serve: ${failed} of ${urls.length} downloads failed`);
        if (completed >= urls.length) {
          return { ms: performance.now() - started, cpuMs: processStats(serving.pid).cpuMs - cpuBefore, dir };
        }
        await sleep(20);
      }
      throw new Error(`haul serve: ${urls.length} downloads not done within two minutes`);
    } finally {
      await serving.stop();
    }
  };
  const aria = hasTool('aria2c', 'aria2');
  const wget = hasTool('wget');
  const curl = (url, dir) => ['-s', '-o', join(dir, 'out.bin'), url];
  const ariaAt = (n) => (url, dir) => ['-q', `-x${n}`, `-s${n}`, '-k1M', '-d', dir, '-o', 'out.bin', url];
  const aria8 = ariaAt(8);

  try {
    if (parts.includes('a')) {
      const [h, c] = await inTurn(runs, [() => haulOnce('/big.bin', {}), () => toolOnce('/big.bin', {}, 'curl', curl)]);
      const w = wget ? await toolOnce('/big.bin', {}, 'wget', (u, d) => ['-q', '-O', join(d, 'o'), u]) : null;
      const a = aria ? await toolOnce('/big.bin', {}, 'aria2c', aria8) : null;
      const peers = `${w ? `, wget ${s(w.ms)}` : ''}${a ? `, aria2c -x8 ${s(a.ms)}` : ''}`;
      rows.push(
        ratioRow('1 GiB unthrottled, wall: Haul / curl', h.ms, c.ms, 1.25, `Haul ${s(h.ms)}, curl ${s(c.ms)}${peers}`),
      );
      // Haul calls a download complete once its file is on disk; curl leaves its bytes in
      // the page cache. The same guarantee from curl: the file synced once curl ends. And
      // what the disk alone needs for a durable gigabyte, without any network.
      const durable = await repeat(runs, () =>
        toolOnce('/big.bin', {}, 'sh', (u, d) => [
          '-c',
          'curl -s -o "$1" "$2" && sync "$1"',
          'sh',
          join(d, 'out.bin'),
          u,
        ]),
      );
      const disk = await repeat(runs, async () => {
        settleDisk();
        const of = join(await fresh('dd'), 'out.bin');
        return runTool('dd', ['if=/dev/zero', `of=${of}`, 'bs=1M', 'count=1024', 'conv=fdatasync']);
      });
      rows.push({
        measure: '1 GiB on disk at the end: Haul / curl, then sync',
        value: (h.ms / durable.ms).toFixed(2),
        target: '',
        ok: undefined,
        sides: `curl, then sync ${s(durable.ms)}; the disk alone (dd, conv=fdatasync) ${s(disk.ms)}`,
      });
      const cpu = (r) => (r ? `${(r.cpuMs / 1000).toFixed(2)}` : '-');
      rows.push(
        ratioRow(
          'CPU seconds per GiB: Haul / curl',
          h.cpuMs,
          c.cpuMs,
          2.0,
          `Haul ${cpu(h)} (+${(median(h.all.map((r) => r.startCpuMs)) / 1000).toFixed(2)} loading the engine), curl ${cpu(c)}, wget ${cpu(w)}, aria2c ${cpu(a)}`,
        ),
      );
      // Each run's requests and answers at once (the server's count): a run that tried more
      // connections shows.
      const connections = h.all.map((r) => r.mostAtOnce).join('/');
      rows.push(
        ratioRow(
          '1 GiB: bytes sent by the server / size',
          Math.max(...h.all.map((r) => r.bytes)),
          1024 * MiB,
          1.01,
          `Haul ${h.all.map((r) => r.requests).join('/')} requests, at most ${connections} answered at once; curl ${c.all[0].requests}`,
        ),
      );
    }

    if (parts.includes('b')) {
      const query = { rate: String(20 * MiB) };
      // The 256 MiB row has the target; smaller files on the same server have none: the
      // first window's decision is a larger share of their time, and fewer connections pay.
      for (const size of aria ? [256, 128, 64] : [256]) {
        const path = `/mid${size}.bin`;
        // The floor: Haul's connections asked for at once by a client told the size.
        const floorOnce = () =>
          counted(path, query, async (url) => {
            const file = join(await fresh('floor'), 'out.bin');
            const input = { url, size: size * MiB, connections: maxConnections, file };
            return runEngine({ ...haul, engine: rangesFloor, engineArgs: [] }, input);
          });
        // aria2c at the ceiling Haul's ramp may reach, beside the target's -x8: no target.
        const even = aria && size === 256 && maxConnections !== 8;
        const [h, a, f, a2] = await inTurn(runs, [
          () => haulOnce(path, query),
          aria ? () => toolOnce(path, query, 'aria2c', aria8) : null,
          floorOnce,
          even ? () => toolOnce(path, query, 'aria2c', ariaAt(maxConnections)) : null,
        ]);
        const measure = `${size} MiB @ 20 MiB/s per connection`;
        const floor = `the floor ${s(f.ms)} (${maxConnections} ranges at once, the size known; Haul / the floor ${(h.ms / f.ms).toFixed(2)})`;
        if (!a) {
          rows.push({ measure: `${measure} (no aria2c)`, value: s(h.ms), target: '', ok: undefined, sides: floor });
          continue;
        }
        const last = h.all.at(-1);
        const sides = `Haul ${s(h.ms)} (${last.requests} requests, at most ${last.mostAtOnce} answered at once), aria2c ${s(a.ms)}, ${floor}`;
        const row = ratioRow(`${measure}: Haul / aria2c -x8`, h.ms, a.ms, 0.9, sides);
        rows.push(size === 256 ? row : { ...row, value: (h.ms / a.ms).toFixed(2), target: '', ok: undefined });
        if (a2) {
          rows.push({
            measure: `${measure}: Haul / aria2c -x${maxConnections}`,
            value: (h.ms / a2.ms).toFixed(2),
            target: '',
            ok: undefined,
            sides: `Haul ${s(h.ms)}, aria2c -x${maxConnections} ${s(a2.ms)}: both at the same ceiling of connections`,
          });
        }
        if (size === 256) {
          rows.push({
            measure: `${measure}: the floor / aria2c -x8`,
            value: (f.ms / a.ms).toFixed(2),
            target: '',
            ok: undefined,
            sides: `the floor ${s(f.ms)}, aria2c ${s(a.ms)}: what Haul / aria2c reads with Haul at the floor`,
          });
        }
      }
    }

    if (parts.includes('c')) {
      const paths = [...files.keys()].filter((k) => k.startsWith('/small-'));
      const viaServe = () => serveBatch(paths.map((p) => `${base}${p}`));
      const list = join(work, 'list.txt');
      await writeFile(list, paths.map((p) => `${base}${p}`).join('\n'));
      const curlArgs = (u, d) => [
        '-s',
        '--parallel',
        '--parallel-max',
        '3',
        '--output-dir',
        d,
        ...paths.flatMap((p) => ['-o', p.slice(1), `${base}${p}`]),
      ];
      // Haul's layers under `haul serve`, each in a fresh process: its engine (no job
      // center, store or API), and the stack it is built on with none of Haul (the floor).
      const urls = paths.map((p) => `${base}${p}`);
      const engineAlone = () =>
        counted('/', {}, async () => {
          const dir = await fresh('engine-c');
          return runEngine(haul, { jobs: urls.map((url) => ({ url, dir })), concurrency: 3 });
        });
      const stackAlone = () =>
        counted('/', {}, async () => {
          const dir = await fresh('stack-c');
          return runEngine({ ...haul, engine: haul.stack }, { urls, dir, db: join(dir, 'jobs.db') });
        });
      const [h, a, c, e, f] = await inTurn(runs, [
        viaServe,
        aria ? () => toolOnce('/', {}, 'aria2c', (u, d) => ['-q', '-j3', '-d', d, '-i', list]) : null,
        () => toolOnce('/', {}, 'curl', curlArgs),
        engineAlone,
        stackAlone,
      ]);
      const sides = `Haul ${s(h.ms)} (${(h.ms / paths.length).toFixed(1)} ms a file), aria2c ${a ? s(a.ms) : '-'}, curl --parallel ${s(c.ms)}`;
      if (a) rows.push(ratioRow('500 x 64 KiB, one submit: Haul / aria2c -j3', h.ms, a.ms, 1.0, sides));
      rows.push(
        ratioRow(
          '500 x 64 KiB (stretch): Haul / curl --parallel 3',
          h.ms,
          c.ms,
          1.0,
          `CPU: Haul ${s(h.cpuMs)}, curl ${s(c.cpuMs)}`,
        ),
      );
      const layers = `haul serve ${s(h.ms)}, the engine alone ${s(e.ms)}, the stack alone ${s(f.ms)} (CPU ${s(h.cpuMs)}, ${s(e.cpuMs)}, ${s(f.cpuMs)})`;
      rows.push({
        measure: `500 x 64 KiB: the stack alone (no Haul)${a ? ' / aria2c -j3' : ''}`,
        value: a ? (f.ms / a.ms).toFixed(2) : s(f.ms),
        target: '',
        ok: undefined,
        sides: `${layers}; Haul / the stack alone ${(h.ms / f.ms).toFixed(2)}`,
      });
    }

    if (parts.includes('d')) {
      const query = { rate: String(48 * MiB) };
      const h = await haulOnce('/big.bin', query, { connections: 8 });
      // The target is headless Haul's: `haul serve` (its API, store and plugins loaded)
      // downloading the same gigabyte, its peak from start to the end of the download.
      // `connections` undefined: the setting's default, which the ramp may reach here.
      const servedOnce = (connections) =>
        counted('/big.bin', query, async (url) => {
          const dir = await fresh('haul-d');
          const serving = await startReturning('haul-d-data', dir);
          try {
            const started = performance.now();
            const { jobs } = await rpc(serving, 'downloads.submit', { url, dir, connections });
            for (let i = 0; i < 12_000; i += 1) {
              const { job } = await rpc(serving, 'jobs.get', { id: jobs[0].id });
              if (job.status === 'completed' || job.status === 'failed') break;
              await sleep(20);
            }
            const ms = performance.now() - started;
            const { peakRssMb } = processStats(serving.pid);
            // What stays once it is idle again (its collection when idle comes after 0.5-1 s).
            await sleep(idleAfterMs);
            return { ms, peakRssMb, idleRssMb: processStats(serving.pid).rssMb };
          } finally {
            await serving.stop();
          }
        });
      const served = await servedOnce(8);
      const a = aria ? await toolOnce('/big.bin', query, 'aria2c', aria8) : null;
      const mb = served.peakRssMb;
      rows.push({
        measure: 'peak RSS, 1 GiB on 8 connections, MB',
        value: mb.toFixed(0),
        target: '<= 130',
        ok: mb <= 130,
        sides: `haul serve, ${s(served.ms)}, ${served.idleRssMb.toFixed(0)} MB ${idleAfterMs / 1000} s after; the engine alone ${(h.maxRssKb / 1024).toFixed(0)} MB (at most ${h.mostAtOnce} answers at once, ${s(h.ms)})${a ? `; aria2c -x8 ${s(a.ms)}` : ''}`,
      });
      // No target: what the default costs where the server pays for more than eight.
      if (maxConnections !== 8) {
        const wide = await servedOnce(undefined);
        rows.push({
          measure: `peak RSS, 1 GiB at the default (up to ${maxConnections} connections), MB`,
          value: wide.peakRssMb.toFixed(0),
          target: '',
          ok: undefined,
          sides: `haul serve, ${s(wide.ms)}, at most ${wide.mostAtOnce} answered at once, ${wide.idleRssMb.toFixed(0)} MB ${idleAfterMs / 1000} s after`,
        });
      }
    }

    if (parts.includes('r')) {
      const query = { reset: String(100 * MiB) };
      const [h, a] = await inTurn(runs, [
        () => haulOnce('/crash.bin', query),
        aria ? () => toolOnce('/crash.bin', query, 'aria2c', aria8) : null,
      ]);
      const bytes = Math.max(...h.all.map((r) => r.bytes));
      const sides = `Haul ${s(h.ms)} ${h.all.at(-1).requests} requests, aria2c ${a ? `${s(a.ms)}, sent/size ${(Math.max(...a.all.map((r) => r.bytes)) / (200 * MiB)).toFixed(3)}` : '-'}`;
      rows.push(ratioRow('200 MiB, reset at 100 MiB: bytes sent / size', bytes, 200 * MiB, 1.01, sides));
    }

    if (parts.includes('s')) {
      rows.push(...(await submitRows(runs, base, async () => startReturning('haul-s-data', await fresh('haul-s')))));
    }

    if (parts.includes('e')) {
      const expected = await sha256File(files.get('/crash.bin').path);
      const kills = {
        haul,
        server,
        url: `${base}/crash.bin?rate=${10 * MiB}&key=crash`,
        key: 'crash',
        size: 200 * MiB,
      };
      rows.push(
        ...(await killRows({
          ...kills,
          dir: await fresh('haul-e'),
          stateFile: join(work, 'crash-state.json'),
          expected,
        })),
      );
    }

    if (parts.includes('f')) {
      if (!far) rows.push({ measure: 'a server some way off (no nginx)', value: '-', target: '', ok: undefined });
      else {
        const small = [...files.keys()].filter((path) => path.startsWith('/small-')).slice(0, farSmallFiles);
        const farOnly = new Map([...files].filter(([path]) => path.startsWith('/far') || small.includes(path)));
        const farDir = await fresh('far-server');
        rows.push(
          ...(await farRows({
            dir: farDir,
            files: farOnly,
            inTurn: (fns) => inTurn(runs, fns),
            haul,
            fresh,
            aria,
            small,
            serveBatch,
          })),
        );
      }
    }
  } finally {
    server.close();
    await rm(work, { recursive: true, force: true });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await benchDownloads()) {
    const met = row.ok === undefined ? '' : row.ok ? 'yes' : 'NO';
    console.log(
      `${row.measure.padEnd(54)} ${row.value.padStart(8)}  ${row.target.padEnd(9)} ${met.padEnd(3)} ${row.sides ?? ''}`,
    );
  }
}
