#!/usr/bin/env node
/**
 * Download engine benchmark (issue 4): Haul against curl and aria2c on the same loopback
 * server in the same run, printed as ratios. Run: `node --import tsx scripts/bench-downloads.mjs`.
 * Haul runs in a child process (so its peak RSS is its own) and times itself from its
 * first request, as the long-running app would; curl and aria2c are timed as processes.
 * The child is bundled with esbuild, dependencies external as electron-vite builds main,
 * and runs on plain Node: tsx's compiler would otherwise be counted in its RSS.
 *   (a) 1 GiB, one connection: Haul / curl <= 1.10
 *   (b) 256 MiB, each connection throttled to 20 MiB/s: Haul <= aria2c -x8 -s8
 *   (c) 500 files of 64 KiB, 3 at a time: Haul <= aria2c -j3
 *   (d) peak RSS of Haul during (a) <= 150 MB
 *   (e) 200 MiB killed (SIGKILL) 10 times at random points: right hash, extra bytes
 * BENCH_DOWNLOADS_PARTS=ab runs only the parts named (profiling one part should not wait
 * for the others); the default runs all. BENCH_DOWNLOADS_CHILD_ARGS adds Node flags to the
 * Haul child, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MiB = 1024 * 1024;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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

async function sha256File(path) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

/** A static server with ranges and an optional per-connection rate (?rate=bytes/s). */
async function startServer(files) {
  const stats = { bytes: 0 };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const file = files.get(url.pathname);
    if (!file) return res.writeHead(404).end();
    const rate = Number(url.searchParams.get('rate') ?? 0);
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
    const began = performance.now();
    let sent = 0;
    for await (const chunk of createReadStream(file.path, { start, end: end - 1, highWaterMark: 256 * 1024 })) {
      if (res.destroyed) break;
      if (!res.write(chunk)) {
        await new Promise((r) => {
          const done = () => (res.off('drain', done), res.off('close', done), r());
          res.on('drain', done);
          res.on('close', done);
        });
      }
      sent += chunk.length;
      stats.bytes += chunk.length;
      if (rate) {
        const ahead = (sent / rate) * 1000 - (performance.now() - began);
        if (ahead > 0) await sleep(ahead);
      }
    }
    res.end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, stats, base: `http://127.0.0.1:${server.address().port}` };
}

const childSource = (enginePath) => `
import { createDownloadEngine } from ${JSON.stringify(enginePath)};
import { writeFileSync, renameSync, readFileSync, existsSync } from 'node:fs';
const input = JSON.parse(process.argv[2]);
const engine = createDownloadEngine({ proxy: null, recordOrigin: false });
const loadState = () => (input.stateFile && existsSync(input.stateFile) ? JSON.parse(readFileSync(input.stateFile, 'utf8')) : null);
const started = performance.now();
const queue = [...input.jobs];
const paths = [];
async function worker() {
  for (let job = queue.shift(); job; job = queue.shift()) {
    const outcome = await engine({
      job: { url: job.url, dir: job.dir, fileName: null, options: job.options ?? {} },
      signal: new AbortController().signal,
      resumeState: loadState(),
      saveState: (state) => {
        if (!input.stateFile) return;
        writeFileSync(input.stateFile + '.tmp', JSON.stringify(state));
        renameSync(input.stateFile + '.tmp', input.stateFile);
      },
      progress: () => {},
      log: () => {},
      enterProcessing: () => {},
    });
    paths.push(outcome.path);
  }
}
await Promise.all(Array.from({ length: input.concurrency ?? 1 }, worker));
console.log(JSON.stringify({ ms: performance.now() - started, maxRssKb: process.resourceUsage().maxRSS, paths }));
`;

/**
 * Writes the Haul child: an esbuild bundle run by plain Node when esbuild is there (it
 * comes with tsx), else the source run under tsx (then its RSS includes the compiler).
 */
async function buildChild() {
  const cache = join(root, 'node_modules', '.cache');
  await mkdir(cache, { recursive: true });
  const source = childSource(join(root, 'src-main/core/downloads/engine.ts'));
  const path = join(cache, 'haul-bench-child.mjs');
  try {
    const { build } = await import('esbuild');
    await build({
      stdin: { contents: source, resolveDir: root, loader: 'js', sourcefile: 'bench-child.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outfile: path,
      logLevel: 'warning',
    });
    // The engine hashes on a worker thread whose entry it looks for next to its bundle.
    await build({
      entryPoints: [join(root, 'src-main/core/downloads/hash-worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outfile: join(cache, 'hash-worker.js'),
      logLevel: 'warning',
    });
    return { path, nodeArgs: [] };
  } catch (error) {
    console.error(`  (esbuild unavailable, running the child under tsx: ${error.message})`);
    await writeFile(
      path,
      source.replace(/from "(\/[^"]+)"/u, (_, file) => `from ${JSON.stringify(pathToFileURL(file).href)}`),
    );
    return { path, nodeArgs: ['--import', 'tsx'] };
  }
}

function runHaul(haul, input) {
  return new Promise((resolvePromise, reject) => {
    const extra = process.env.BENCH_DOWNLOADS_CHILD_ARGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...haul.nodeArgs, ...extra, haul.path, JSON.stringify(input)], {
      cwd: root,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('exit', (code, signal) => {
      if (code === 0) resolvePromise(JSON.parse(out.trim().split('\n').at(-1)));
      else reject(new Error(`haul child exited with ${code ?? signal}`));
    });
    input.onSpawn?.(child);
  });
}

/** Runs a tool to completion, timed; async, since the server shares this event loop. */
function timed(command, args) {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolvePromise(performance.now() - started);
      else reject(new Error(`${command} failed (${code})`));
    });
  });
}

/**
 * Flushes every dirty page before a timed run. Haul syncs its file before calling it
 * complete; without this it would also wait behind the writeback of the test files and
 * of the previous tool's output, which nobody else pays for.
 */
function settleDisk() {
  spawnSync('sync', { stdio: 'ignore' });
}

function ensureAria2() {
  if (spawnSync('aria2c', ['--version'], { stdio: 'ignore' }).status === 0) return true;
  spawnSync('apt-get', ['install', '-y', '-qq', 'aria2'], { stdio: 'ignore' });
  return spawnSync('aria2c', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Parts to run, from BENCH_DOWNLOADS_PARTS (letters a-e); (d) comes with (a). */
const parts = process.env.BENCH_DOWNLOADS_PARTS ?? 'abce';
const runs = (part) => parts.includes(part);

const ratio = (value, target) => ({ value: value.toFixed(2), target, ok: undefined });

export async function benchDownloads() {
  const work = await mkdtemp(join(tmpdir(), 'haul-bench-'));
  const rows = [];
  const push = rows.push.bind(rows);
  // Printed as they come: a long run that fails late still shows what it measured.
  rows.push = (...added) => (added.forEach((row) => console.error(`  ${row.measure}: ${row.value}`)), push(...added));
  const files = new Map();
  const childPath = await buildChild();
  const add = async (name, size) => {
    const path = join(work, name);
    await makeFile(path, size);
    files.set(`/${name}`, { path, size });
  };
  if (runs('a')) await add('big.bin', 1024 * MiB);
  if (runs('b')) await add('mid.bin', 256 * MiB);
  if (runs('e')) await add('crash.bin', 200 * MiB);
  if (runs('c')) for (let i = 0; i < 500; i += 1) await add(`small-${i}.bin`, 64 * 1024);
  const { server, stats, base } = await startServer(files);
  const fresh = async (name) => {
    const dir = join(work, name);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    return dir;
  };
  try {
    if (runs('a')) {
      // (a) + (d)
      settleDisk();
      const curlMs = await timed('curl', ['-s', '-o', join(await fresh('curl-a'), 'big.bin'), `${base}/big.bin`]);
      settleDisk();
      const a = await runHaul(childPath, {
        jobs: [{ url: `${base}/big.bin`, dir: await fresh('haul-a'), options: { connections: 1 } }],
      });
      rows.push({
        measure: '(a) 1 GiB, 1 connection: Haul / curl',
        ...ratio(a.ms / curlMs, '<= 1.10'),
        ok: a.ms / curlMs <= 1.1,
      });
      rows.push({
        measure: '    Haul, curl (s)',
        value: `${(a.ms / 1000).toFixed(2)}, ${(curlMs / 1000).toFixed(2)}`,
        target: '',
      });
      const rss = a.maxRssKb / 1024;
      rows.push({
        measure: '(d) peak RSS of Haul during (a), MB',
        value: rss.toFixed(0),
        target: '<= 150',
        ok: rss <= 150,
      });
    }

    const aria = ensureAria2();
    if (runs('b')) {
      // (b)
      const throttled = `${base}/mid.bin?rate=${20 * MiB}`;
      settleDisk();
      const b = await runHaul(childPath, { jobs: [{ url: throttled, dir: await fresh('haul-b') }] });
      if (aria) {
        settleDisk();
        const ariaMs = await timed('aria2c', [
          '-q',
          '-x8',
          '-s8',
          '-k1M',
          '-d',
          await fresh('aria-b'),
          '-o',
          'mid.bin',
          throttled,
        ]);
        rows.push({
          measure: '(b) 256 MiB @20 MiB/s/conn: Haul / aria2c -x8',
          ...ratio(b.ms / ariaMs, '<= 1.00'),
          ok: b.ms <= ariaMs,
        });
        rows.push({
          measure: '    Haul, aria2c (s)',
          value: `${(b.ms / 1000).toFixed(2)}, ${(ariaMs / 1000).toFixed(2)}`,
          target: '',
        });
      } else
        rows.push({ measure: '(b) Haul (s); aria2c not installable', value: (b.ms / 1000).toFixed(2), target: '' });
    }

    if (runs('c')) {
      // (c)
      const smallJobs = async (dir) =>
        [...files.keys()].filter((k) => k.startsWith('/small-')).map((k) => ({ url: base + k, dir }));
      const c = await runHaul(childPath, { jobs: await smallJobs(await fresh('haul-c')), concurrency: 3 });
      if (aria) {
        const list = join(work, 'list.txt');
        await writeFile(list, (await smallJobs('')).map((j) => j.url).join('\n'));
        const ariaMs = await timed('aria2c', ['-q', '-j3', '-d', await fresh('aria-c'), '-i', list]);
        rows.push({
          measure: '(c) 500 x 64 KiB, 3 at a time: Haul / aria2c -j3',
          ...ratio(c.ms / ariaMs, '<= 1.00'),
          ok: c.ms <= ariaMs,
        });
        rows.push({
          measure: '    Haul, aria2c (s)',
          value: `${(c.ms / 1000).toFixed(2)}, ${(ariaMs / 1000).toFixed(2)}`,
          target: '',
        });
      } else
        rows.push({ measure: '(c) Haul (s); aria2c not installable', value: (c.ms / 1000).toFixed(2), target: '' });
    }

    if (runs('e')) {
      // (e) crash resume: SIGKILL at random points, resume from the last saved state.
      const dir = await fresh('haul-e');
      const stateFile = join(work, 'crash-state.json');
      const crashUrl = `${base}/crash.bin?rate=${10 * MiB}`;
      const before = stats.bytes;
      for (let kill = 0; kill < 10; kill += 1) {
        let child;
        const running = runHaul(childPath, {
          jobs: [{ url: crashUrl, dir, options: { connections: 4 } }],
          stateFile,
          onSpawn: (c) => (child = c),
        });
        running.catch(() => undefined);
        const target = stats.bytes + Math.random() * 20 * MiB + 2 * MiB;
        for (let i = 0; i < 3000 && stats.bytes < target; i += 1) await sleep(5);
        child.kill('SIGKILL');
        await running.catch(() => undefined);
      }
      const e = await runHaul(childPath, { jobs: [{ url: crashUrl, dir, options: { connections: 4 } }], stateFile });
      const hashOk = (await sha256File(e.paths[0])) === (await sha256File(files.get('/crash.bin').path));
      const extra = (stats.bytes - before) / (200 * MiB) - 1;
      rows.push({ measure: '(e) 200 MiB, 10 SIGKILLs: hash right', value: String(hashOk), target: 'true', ok: hashOk });
      rows.push({
        measure: '    extra bytes fetched',
        value: `${(extra * 100).toFixed(1)}%`,
        target: '< 5%',
        ok: extra < 0.05,
      });
    }
  } finally {
    server.close();
    server.closeAllConnections();
    await rm(work, { recursive: true, force: true });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchDownloads();
  for (const row of rows) {
    const met = row.ok === undefined ? '' : row.ok ? 'yes' : 'NO';
    console.log(`${row.measure.padEnd(52)} ${row.value.padStart(12)}  ${row.target.padEnd(8)} ${met}`);
  }
}
