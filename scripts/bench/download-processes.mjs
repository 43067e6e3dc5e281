/**
 * The processes of the download benchmark: Haul's engine in a child of its own, `haul
 * serve` for the runs that go through the API, and the peers (curl, wget, aria2c). Every
 * one is measured the same way: wall time, and CPU seconds (user + system, all threads)
 * from the kernel's accounting of the process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { request } from 'undici';

const engineChild = (enginePath, flagsPath, settingsPath) => `
import { createDownloadEngine } from ${JSON.stringify(enginePath)};
import { setRuntimeFlags } from ${JSON.stringify(flagsPath)};
import { defaultSettings } from ${JSON.stringify(settingsPath)};
import { writeFileSync, renameSync, readFileSync, existsSync } from 'node:fs';
const input = JSON.parse(process.argv[2]);
// The V8 flags the app sets as it starts, before it downloads anything.
setRuntimeFlags();
// What the app passes from its settings, at their defaults.
const engine = createDownloadEngine({
  proxy: null,
  recordOrigin: false,
  maxConnections: defaultSettings.connectionsPerDownload,
  fingerprint: defaultSettings.fingerprintDownloads,
});
const loadState = () => (input.stateFile && existsSync(input.stateFile) ? JSON.parse(readFileSync(input.stateFile, 'utf8')) : null);
// Wall time and CPU are both counted from here: loading the engine is start-up, which
// a running Haul pays once and the footprint bench measures on its own.
const startCpu = process.cpuUsage();
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
const ms = performance.now() - started;
const cpu = process.cpuUsage(startCpu);
const usage = process.resourceUsage();
console.log(JSON.stringify({
  ms,
  cpuMs: (cpu.user + cpu.system) / 1000,
  startCpuMs: (startCpu.user + startCpu.system) / 1000,
  maxRssKb: usage.maxRSS,
  paths,
}));
`;

const esbuildOptions = { bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external' };

/**
 * Builds what the benchmark runs: `haul serve` is the built program a user runs
 * (`out/main/headless.js` from `electron-vite build`, with its code cache and its plugins'
 * worker), and the engine alone is a child of its own, bundled with esbuild
 * (dependencies external, as electron-vite builds main) so it runs on plain Node: tsx's
 * compiler would otherwise be in its RSS and CPU; so is the stack alone (stack-alone.mjs).
 * Falls back to tsx when esbuild is missing.
 */
export async function buildHaul(root) {
  const built = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'ignore' });
  if (built.status !== 0) throw new Error('electron-vite build failed; run `npx electron-vite build` to see why');
  const serve = join(root, 'out/main/headless.js');
  const cache = join(root, 'node_modules', '.cache');
  await mkdir(cache, { recursive: true });
  const source = engineChild(
    join(root, 'src-main/core/downloads/engine.ts'),
    join(root, 'src-main/core/runtime-flags.ts'),
    join(root, 'src-main/core/settings.ts'),
  );
  const engine = join(cache, 'haul-bench-child.mjs');
  const stackSource = join(root, 'scripts/bench/stack-alone.mjs');
  const stack = join(cache, 'haul-bench-stack.mjs');
  try {
    const { build } = await import('esbuild');
    const quiet = { ...esbuildOptions, logLevel: 'warning' };
    await build({ ...quiet, stdin: { contents: source, resolveDir: root, loader: 'js' }, outfile: engine });
    await build({ ...quiet, entryPoints: [stackSource], outfile: stack });
    return { engine, serve, stack, engineArgs: [] };
  } catch (error) {
    console.error(`  (esbuild unavailable, running the engine under tsx: ${error.message})`);
    await writeFile(
      engine,
      source.replace(/from "(\/[^"]+)"/gu, (_, file) => `from ${JSON.stringify(pathToFileURL(file).href)}`),
    );
    return { engine, serve, stack: stackSource, engineArgs: ['--import', 'tsx'] };
  }
}

/** Node flags for the Haul children, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
const childArgs = () => process.env.BENCH_DOWNLOADS_CHILD_ARGS?.split(' ').filter(Boolean) ?? [];

/**
 * Runs the engine child to completion: { ms, cpuMs, startCpuMs, maxRssKb, paths }.
 * `ms` and `cpuMs` count from the engine loaded; `startCpuMs` is what loading it took.
 */
export function runEngine(haul, input, onSpawn) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...haul.engineArgs, ...childArgs(), haul.engine, JSON.stringify(input)]);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('exit', (code, signal) => {
      if (code === 0) resolvePromise(JSON.parse(out.trim().split('\n').at(-1)));
      else reject(new Error(`haul child exited with ${code ?? signal}`));
    });
    onSpawn?.(child);
  });
}

/** Parses the `times` builtin's second line (children's user and system time). */
function parseTimes(text) {
  const line = text.trim().split('\n').at(-1) ?? '';
  const seconds = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return seconds.length === 2 ? (seconds[0] + seconds[1]) * 1000 : NaN;
}

/**
 * Runs a peer to completion: { ms, cpuMs }. Async, since the server shares this event
 * loop. A shell runs it and reports its CPU time with `times` on a descriptor of its own.
 */
export function runTool(command, args) {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const script = '"$@" >/dev/null 2>&1; rc=$?; times >&3; exit $rc';
    const child = spawn('sh', ['-c', script, 'sh', command, ...args], {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    });
    let times = '';
    child.stdio[3].on('data', (d) => (times += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolvePromise({ ms, cpuMs: parseTimes(times) });
      else reject(new Error(`${command} failed (${code})`));
    });
  });
}

/** CPU milliseconds a running process used so far (Linux), its RSS and peak RSS in MB. */
export function processStats(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second).
  const cpuMs = (Number(fields[11]) + Number(fields[12])) * 10;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (field) => {
    const found = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
    return found ? Number(found[1]) / 1024 : NaN;
  };
  return { cpuMs, rssMb: mb('VmRSS'), peakRssMb: mb('VmHWM') };
}

/** Starts `haul serve` on a free port: { url, token, pid, stop() }. */
export function startServe(haul, dataDir, downloadDir) {
  return new Promise((resolvePromise, reject) => {
    const args = ['--port', '0', '--data-dir', dataDir, '--download-dir', downloadDir];
    const child = spawn(process.execPath, [...childArgs(), haul.serve, ...args]);
    let out = '';
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('exit', (code) => reject(new Error(`haul serve exited with ${code}`)));
    child.stdout.on('data', (d) => {
      out += d;
      const open = /Open (http:\/\/[^/\s]+)\/#token=(\S+)/.exec(out);
      if (!open) return;
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolvePromise({
        url: open[1],
        token: open[2],
        pid: child.pid,
        stop: () =>
          new Promise((r) => {
            child.removeAllListeners('exit');
            child.on('exit', r);
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** Is the tool there (installing `aptPackage` from apt when missing)? `versionFlag`: what it answers with its version. */
export function hasTool(name, aptPackage, versionFlag = '--version') {
  const found = () => spawnSync(name, [versionFlag], { stdio: 'ignore' }).status === 0;
  if (found()) return true;
  if (!aptPackage) return false;
  spawnSync('apt-get', ['install', '-y', '-qq', aptPackage], { stdio: 'ignore' });
  return found();
}

/**
 * Flushes every dirty page before a timed run. Haul syncs its file before calling it
 * complete; without this it would also wait behind the writeback of the test files and
 * of the previous tool's output, which nobody else pays for.
 */
export function settleDisk() {
  spawnSync('sync', { stdio: 'ignore' });
}

/**
 * One command of `haul serve`'s RPC route over a kept-alive connection; throws its error.
 * undici's `request` rather than `fetch`: fetch costs the client about 1.5 ms of CPU a
 * call here, which would sit in every submit's time.
 */
export async function rpc(serving, command, input) {
  const response = await request(`${serving.url}/v1/rpc/${command}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${serving.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = await response.body.json();
  if (!body.ok) throw new Error(`${command}: ${JSON.stringify(body.error)}`);
  return body.value;
}

/** Bytes in a mebibyte: the unit of every size the benchmark names. */
export const MiB = 1024 * 1024;

/** Milliseconds as the tables show them: `1.23 s`. */
export const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** The middle value (the lower of the two middle ones for an even count). */
export const median = (values) => [...values].sort((x, y) => x - y)[Math.floor((values.length - 1) / 2)];
