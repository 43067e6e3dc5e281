import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../test/temp-dir';

let dir: ReturnType<typeof tempDir>;
let children = 0;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.remove());

/**
 * Runs `script` (an ES module, TypeScript imports allowed, imports by absolute path) in a
 * fresh Node, from a file; its output, parsed.
 */
function runInChild<T>(script: string, nodeFlags: string[] = []): T {
  const file = join(dir.path, `child-${(children += 1)}.mjs`);
  writeFileSync(file, script);
  const child = spawnSync(process.execPath, [...nodeFlags, '--import', 'tsx', file], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (child.status !== 0) throw new Error(`the child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as T;
}

/** A worker thread started after the flags, as Haul starts its own. */
type Started = 'none' | 'a plain worker' | 'the checkpointer' | 'a plugin';

/** The lines that start `started` (its imports among them); files go in `folder`. */
const workerStarts = (folder: string): Record<Exclude<Started, 'none'>, string[]> => ({
  'a plain worker': [
    `import { Worker } from 'node:worker_threads';`,
    `const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });`,
    `await new Promise((resolve) => worker.once('online', resolve));`,
  ],
  'the checkpointer': [
    `import Database from ${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))};`,
    `import { Checkpointer } from ${JSON.stringify(join(import.meta.dirname, 'store', 'checkpointer.ts'))};`,
    `const file = join(${JSON.stringify(folder)}, 'haul.db');`,
    `const db = new Database(file);`,
    `db.pragma('journal_mode = WAL');`,
    `const copied = [];`,
    `const checkpointer = new Checkpointer(db, { file, intervalMs: 10, onCheckpoint: (r) => copied.push(r) });`,
    `for (let i = 0; i < 20; i += 1) checkpointer.active();`,
    `while (copied.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));`,
  ],
  'a plugin': [
    `import { WorkerClient, defaultWorkerFile } from ${JSON.stringify(join(import.meta.dirname, 'plugins', 'worker-client.ts'))};`,
    `const init = { name: 'p', code: 'export function activate() {}', settings: {}, memoryBytes: 64 * 1024 * 1024, sliceMs: 5000, downloadDir: ${JSON.stringify(folder)} };`,
    `const hooks = { onRegister() {}, onHostCall() {}, onExit() {} };`,
    `const client = new WorkerClient({ workerFile: defaultWorkerFile(), init, graceMs: 1000, startMs: 60_000, ...hooks });`,
    `await client.ready;`,
  ],
});

/**
 * The young generation's size before and after a load whose objects survive a few
 * collections (what makes V8 grow it), in a fresh process: V8 never shrinks it while busy,
 * so this test's own process would tell nothing. `started` runs between the flags and the
 * load, and has run by then (the main thread has been idle since it started).
 */
function youngGrowth(withFlags: boolean, started: Started = 'none'): { before: number; after: number } {
  const lines = started === 'none' ? [] : workerStarts(dir.path)[started];
  const script = [
    `import { join } from 'node:path';`,
    `import { getHeapSpaceStatistics } from 'node:v8';`,
    ...lines.filter((line) => line.startsWith('import ')),
    `import { setRuntimeFlags } from ${JSON.stringify(join(import.meta.dirname, 'runtime-flags.ts'))};`,
    `const young = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size;`,
    withFlags ? 'setRuntimeFlags();' : '',
    ...lines.filter((line) => !line.startsWith('import ')),
    'const before = young();',
    'let kept = [];',
    'for (let i = 0; i < 3_000_000; i += 1) {',
    '  kept.push({ i, text: `item ${i}` });',
    '  if (kept.length > 300_000) kept = kept.slice(150_000);',
    '}',
    'console.log(JSON.stringify({ before, after: young(), kept: kept.length }));',
    'process.exit(0);',
  ].join('\n');
  return runInChild(script);
}

/**
 * Whether V8 tiers a hot WebAssembly loop up to TurboFan within `calls` calls of a million
 * iterations each (it does after one or two by default), in a fresh process.
 */
function wasmTieredUp(withFlags: boolean, calls: number): boolean {
  // (func (export "spin") (param i32) (result i32) (local i32): counts the param down to 0)
  const body = [
    1, 1, 0x7f, 0x03, 0x40, 0x20, 1, 0x41, 1, 0x6a, 0x21, 1, 0x20, 0, 0x41, 1, 0x6b, 0x22, 0, 0x0d, 0, 0x0b, 0x20, 1,
    0x0b,
  ];
  const module = [
    ...[0, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...[1, 6, 1, 0x60, 1, 0x7f, 1, 0x7f],
    ...[3, 2, 1, 0],
    ...[7, 8, 1, 4, ...Buffer.from('spin'), 0, 0],
    ...[10, body.length + 2, 1, body.length, ...body],
  ];
  const script = [
    `import { setRuntimeFlags } from ${JSON.stringify(join(import.meta.dirname, 'runtime-flags.ts'))};`,
    withFlags ? 'setRuntimeFlags();' : '',
    `const { spin } = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(${JSON.stringify(module)}))).exports;`,
    `const optimized = new Function('f', 'return %IsTurboFanFunction(f);');`,
    'let tiered = false;',
    `for (let call = 0; call < ${calls} && !tiered; call += 1) {`,
    '  if (spin(1_000_000) !== 1_000_000) throw new Error("wrong count");',
    '  await new Promise((resolve) => setTimeout(resolve, 1));',
    '  tiered = optimized(spin);',
    '}',
    'console.log(JSON.stringify(tiered));',
  ].join('\n');
  return runInChild(script, ['--allow-natives-syntax']);
}

/**
 * How many calls of a small function with a loop run before V8 has optimized it with
 * TurboFan, in a fresh process; compiled on the main thread, so the count is exact.
 */
function callsBeforeOptimized(withFlags: boolean): number {
  const script = [
    `import { setRuntimeFlags } from ${JSON.stringify(join(import.meta.dirname, 'runtime-flags.ts'))};`,
    withFlags ? 'setRuntimeFlags();' : '',
    'function work(a) { let s = 0; for (let i = 0; i < 20; i += 1) s += (a * i) % 7; return s; }',
    // Bit 6 of V8's optimization status: the function runs TurboFan code.
    `const optimized = new Function('f', 'return (%GetOptimizationStatus(f) & 64) !== 0;');`,
    // The results are summed so that no call can be left out as unused.
    'let calls = 0;',
    'let sum = 0;',
    'for (; calls < 100_000 && !optimized(work); calls += 1) sum += work(calls);',
    'if (sum < 0) throw new Error("unreachable");',
    'console.log(JSON.stringify(calls));',
  ].join('\n');
  return runInChild(script, ['--allow-natives-syntax', '--no-concurrent-recompilation']);
}

describe('runtime flags', () => {
  it('keep the young generation at its size under a load that grows it otherwise', () => {
    const grown = youngGrowth(false);
    expect(grown.after).toBeGreaterThan(grown.before);
    const kept = youngGrowth(true);
    // V8 may still round it up once (1 to 2 MB), never towards its largest (32 MB).
    expect(kept.after * 4).toBeLessThanOrEqual(grown.after);
  });

  it('run WebAssembly on its baseline compiler only: a hot loop is never tiered up', () => {
    expect(wasmTieredUp(false, 200)).toBe(true);
    expect(wasmTieredUp(true, 200)).toBe(false);
  });

  it('let a function run four times as much before TurboFan optimizes it', () => {
    const byDefault = callsBeforeOptimized(false);
    const withFlags = callsBeforeOptimized(true);
    expect(byDefault).toBeGreaterThan(0);
    expect(byDefault).toBeLessThan(100_000);
    expect(withFlags).toBeGreaterThan(byDefault * 3);
    expect(withFlags).toBeLessThan(byDefault * 5);
  });

  it('are reset by a worker thread’s start, and set again by Haul’s own workers as they start', () => {
    // V8 raises the growth factor for the whole process when it sets up a worker's heap.
    const reset = youngGrowth(true, 'a plain worker');
    expect(reset.after).toBeGreaterThan(reset.before * 4);
    for (const started of ['the checkpointer', 'a plugin'] as const) {
      const kept = youngGrowth(true, started);
      expect(kept.after, started).toBeLessThanOrEqual(kept.before * 2);
    }
  });
});
