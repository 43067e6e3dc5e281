import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Runs `script` (an ES module, TypeScript imports allowed) in a fresh Node; its output, parsed. */
function runInChild<T>(script: string, nodeFlags: string[] = []): T {
  const child = spawnSync(process.execPath, [...nodeFlags, '--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (child.status !== 0) throw new Error(`the child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as T;
}

/**
 * The young generation's size before and after a load whose objects survive a few
 * collections (what makes V8 grow it), in a fresh process: V8 never shrinks it while busy,
 * so this test's own process would tell nothing.
 */
function youngGrowth(
  withFlags: boolean,
  worker: 'none' | 'kept' | 'not kept' = 'none',
): { before: number; after: number } {
  const script = [
    `import { getHeapSpaceStatistics } from 'node:v8';`,
    `import { Worker } from 'node:worker_threads';`,
    `import { keepRuntimeFlags, setRuntimeFlags } from ${JSON.stringify(join(import.meta.dirname, 'runtime-flags.ts'))};`,
    `const young = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size;`,
    withFlags ? 'setRuntimeFlags();' : '',
    // A worker thread started afterwards, as the checkpointer and each plugin are.
    worker === 'none' ? '' : `const worker = new Worker('setTimeout(() => {}, 20)', { eval: true });`,
    worker === 'kept' ? 'keepRuntimeFlags(worker);' : '',
    worker === 'none' ? '' : `await new Promise((resolve) => worker.once('exit', resolve));`,
    'const before = young();',
    'let kept = [];',
    'for (let i = 0; i < 3_000_000; i += 1) {',
    '  kept.push({ i, text: `item ${i}` });',
    '  if (kept.length > 300_000) kept = kept.slice(150_000);',
    '}',
    'console.log(JSON.stringify({ before, after: young(), kept: kept.length }));',
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

  it('stay in force after a worker thread starts, whose heap set-up resets the growth factor', () => {
    const reset = youngGrowth(true, 'not kept');
    expect(reset.after).toBeGreaterThan(reset.before * 4);
    const kept = youngGrowth(true, 'kept');
    expect(kept.after).toBeLessThanOrEqual(kept.before * 2);
  });
});
