/**
 * `npm run bench -- footprint`: how fast `haul serve` starts and how small it stays idle,
 * beside aria2c (`--enable-rpc`) in the same run.
 * - cold start: spawn to the first 200 from `/healthz` (aria2c: the first JSON-RPC answer),
 *   on a data folder holding 100,000 history rows that Haul has run on before (so it knows
 *   its plugins, as after any restart); each start gets a fresh copy of it. The CPU time
 *   the process used until then is shown too: on a busy machine it varies less.
 * - idle RSS: VmRSS of the process once start-up work is done (the first retention sweep
 *   prunes the history to its caps), the process is idle and the value has stopped moving.
 * Builds the bundle first (electron-vite) and starts `out/main/headless.js` on plain Node,
 * as `npm run serve` does. FOOTPRINT_RUNS changes the number of starts (default 3).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../src-main/core/store/database';
import { JobStore } from '../src-main/core/store/job-store';
import { historyJob, median, type Row } from './jobs';

const root = join(import.meta.dirname, '..');
const aria2c = process.env.HAUL_ARIA2C ?? '/usr/bin/aria2c';
const historyRows = 100_000;
const targets = { startMs: 500, idleMb: 80 };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves with the status code and body, or status 0 when nothing listens yet. */
function fetchText(
  port: number,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', agent: false, timeout: 1000, headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', () => resolve({ status: 0, text: '' }));
    req.on('timeout', () => req.destroy());
    req.end(body);
  });
}

const probe = async (port: number, path: string, body?: string) => (await fetchText(port, path, body)).status;

/** User + system CPU time of a process so far, from /proc/<pid>/stat (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Polls every 5 ms, bounded to 20 s; a failed connect costs the child nothing. */
async function msUntilHealthy(child: ChildProcess, started: number, ready: () => Promise<boolean>): Promise<number> {
  while (performance.now() - started < 20_000) {
    if (child.exitCode !== null) throw new Error(`the process exited with ${child.exitCode} before answering`);
    if (await ready()) return performance.now() - started;
    await sleep(5);
  }
  throw new Error('no healthy answer within 20 s');
}

function rssMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/**
 * RSS once the process is idle: at least `minMs` after healthy (Haul's first retention
 * sweep runs 2 s after start), then until four samples 500 ms apart lie within 1 MB while
 * the process used under 5% of a core (a sweep still pruning holds RSS flat but is not
 * idle, and V8 gives memory back once the work stops); at most 60 s.
 */
async function settledRssMb(pid: number, minMs: number): Promise<number> {
  const began = performance.now();
  const samples: { mb: number; cpu: number; at: number }[] = [];
  while (performance.now() - began < 60_000) {
    await sleep(500);
    samples.push({ mb: rssMb(pid), cpu: cpuMs(pid), at: performance.now() });
    const last = samples.slice(-4);
    const mbs = last.map((sample) => sample.mb);
    const busy = last.length === 4 ? (last[3]!.cpu - last[0]!.cpu) / (last[3]!.at - last[0]!.at) : 1;
    if (
      performance.now() - began >= minMs &&
      last.length === 4 &&
      Math.max(...mbs) - Math.min(...mbs) < 1 &&
      busy < 0.05
    ) {
      return median(mbs);
    }
  }
  return samples.at(-1)!.mb;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 6000);
  await exited;
  clearTimeout(timer);
}

function startHaul(dataDir: string, port: number): ChildProcess {
  const args = ['out/main/headless.js', '--port', String(port), '--data-dir', dataDir];
  return spawn(process.execPath, [...args, '--download-dir', join(dataDir, 'dl')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/**
 * A data folder Haul has run on once (its plugins started and what they registered is
 * remembered), then given 100,000 finished jobs of the last days.
 */
async function prepareHistory(dir: string): Promise<string> {
  const template = join(dir, 'template');
  mkdirSync(template, { recursive: true, mode: 0o700 });
  const port = await freePort();
  const child = startHaul(template, port);
  try {
    await msUntilHealthy(child, performance.now(), async () => (await probe(port, '/healthz')) === 200);
    const token = readFileSync(join(template, 'api-token'), 'utf8').trim();
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    for (let i = 0; ; i += 1) {
      const answer = await fetchText(port, '/v1/rpc/plugins.list', '{}', auth);
      const plugins = (JSON.parse(answer.text || '{}') as { value?: { plugins: { state: string }[] } }).value?.plugins;
      if (plugins && !plugins.some((p) => p.state === 'starting')) break;
      if (i >= 400) throw new Error('the plugins did not start within 20 s');
      await sleep(50);
    }
  } finally {
    await stop(child);
  }
  const file = join(template, 'haul.db');
  const db = openDatabase({ file });
  const store = new JobStore(db);
  const now = Date.now();
  db.transaction(() => {
    for (let i = 1; i <= historyRows; i += 1) {
      store.insert({ job: historyJob(i, now), position: i, live: false, notBefore: null, resumeState: null });
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return file;
}

interface Run {
  startMs: number;
  cpuMs: number;
  idleMb: number;
  /** CPU time from healthy until idle: Haul's first retention sweep, mostly. */
  settleCpuMs: number;
}

async function runHaul(work: string, history: string, run: number): Promise<Run> {
  const dataDir = join(work, `haul-${run}`);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  copyFileSync(history, join(dataDir, 'haul.db'));
  copyFileSync(join(history, '..', 'api-token'), join(dataDir, 'api-token'));
  const port = await freePort();
  const started = performance.now();
  const child = startHaul(dataDir, port);
  try {
    const startMs = await msUntilHealthy(child, started, async () => (await probe(port, '/healthz')) === 200);
    const cpu = cpuMs(child.pid!);
    const idleMb = await settledRssMb(child.pid!, 5000);
    return { startMs, cpuMs: cpu, idleMb, settleCpuMs: cpuMs(child.pid!) - cpu };
  } finally {
    await stop(child);
  }
}

async function runAria2c(work: string, run: number): Promise<Run> {
  const dir = join(work, `aria2c-${run}`);
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const started = performance.now();
  const child = spawn(
    aria2c,
    [
      '--enable-rpc',
      `--rpc-listen-port=${port}`,
      `--dir=${dir}`,
      '--no-conf',
      '--quiet',
      `--stop-with-process=${process.pid}`,
    ],
    { stdio: 'ignore' },
  );
  const call = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'aria2.getVersion', params: [] });
  try {
    const startMs = await msUntilHealthy(child, started, async () => (await probe(port, '/jsonrpc', call)) === 200);
    const cpu = cpuMs(child.pid!);
    const idleMb = await settledRssMb(child.pid!, 2000);
    return { startMs, cpuMs: cpu, idleMb, settleCpuMs: cpuMs(child.pid!) - cpu };
  } finally {
    await stop(child);
  }
}

export async function benchFootprint(): Promise<Row[]> {
  const runs = Number(process.env.FOOTPRINT_RUNS ?? 3);
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'ignore' });
  if (build.status !== 0) throw new Error('electron-vite build failed; run `npx electron-vite build` to see why');
  const work = mkdtempSync(join(tmpdir(), 'haul-bench-footprint-'));
  try {
    const history = await prepareHistory(work);
    const haul: Run[] = [];
    const peer: Run[] = [];
    const hasPeer = existsSync(aria2c);
    for (let i = 0; i < runs; i += 1) {
      haul.push(await runHaul(work, history, i));
      if (hasPeer) peer.push(await runAria2c(work, i));
    }
    const med = (list: Run[], key: keyof Run) => median(list.map((r) => r[key]));
    const spread = (list: Run[], key: keyof Run, digits: number) => list.map((r) => r[key].toFixed(digits)).join(', ');
    const start = med(haul, 'startMs');
    const idle = med(haul, 'idleMb');
    const peerValue = (key: keyof Run, unit: string, digits: number) =>
      hasPeer ? `${med(peer, key).toFixed(digits)} ${unit}` : 'aria2c not installed';
    return [
      {
        measure: `cold start to healthy API, ${historyRows.toLocaleString('en')} history rows (median of ${runs})`,
        value: `${start.toFixed(0)} ms`,
        peer: peerValue('startMs', 'ms', 0),
        target: `<= ${targets.startMs} ms`,
        ok: start <= targets.startMs,
      },
      { measure: '    each start (ms)', value: spread(haul, 'startMs', 0), target: '', ok: undefined },
      {
        measure: '    CPU time until healthy (median)',
        value: `${med(haul, 'cpuMs').toFixed(0)} ms`,
        peer: peerValue('cpuMs', 'ms', 0),
        target: '',
        ok: undefined,
      },
      {
        measure: `RSS idle after start (median of ${runs})`,
        value: `${idle.toFixed(0)} MB`,
        peer: peerValue('idleMb', 'MB', 1),
        target: `<= ${targets.idleMb} MB`,
        ok: idle <= targets.idleMb,
      },
      { measure: '    each run (MB)', value: spread(haul, 'idleMb', 1), target: '', ok: undefined },
      {
        measure: '    CPU time from healthy to idle (first retention sweep)',
        value: `${med(haul, 'settleCpuMs').toFixed(0)} ms`,
        target: '',
        ok: undefined,
      },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
