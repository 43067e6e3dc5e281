import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireWithCodeCache } from './code-cache';
import { tempDir } from './test/temp-dir';
import { runModuleScript } from './test/module-script';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

interface Program {
  answer(): number;
  shared(): unknown;
  later(): Promise<string>;
  builtin(): string;
}

/** A program like the built one: an entry, a chunk it requires, a chunk required later. */
function writeProgram(answer = 42): string {
  const entry = join(dir.path, 'main.cjs');
  mkdirSync(join(dir.path, 'chunks'), { recursive: true });
  writeFileSync(
    entry,
    [
      'const chunk = require("./chunks/chunk.cjs");',
      `exports.answer = () => chunk.double(${answer / 2});`,
      'exports.shared = () => chunk.state;',
      'exports.later = () => Promise.resolve().then(() => require("./chunks/later.cjs")).then((m) => m.name(chunk));',
      'exports.builtin = () => require("node:path").basename(__filename);',
    ].join('\n'),
  );
  writeFileSync(join(dir.path, 'chunks', 'chunk.cjs'), 'exports.state = {}; exports.double = (n) => n * 2;');
  writeFileSync(
    join(dir.path, 'chunks', 'later.cjs'),
    'const chunk = require("./chunk.cjs"); exports.name = (other) => (other === chunk ? "same chunk" : "copy");',
  );
  return entry;
}

/**
 * A start in a process of its own: V8 keeps what it compiled for the life of a process, so
 * a second load in the same one would not read the cache at all.
 */
function startInChild(
  entry: string,
  { later = false } = {},
): { answer: number; files: { file: string; cached: boolean }[] } {
  const script = [
    `import { requireWithCodeCache } from ${JSON.stringify(join(import.meta.dirname, 'code-cache.ts'))};`,
    `const program = requireWithCodeCache(${JSON.stringify(entry)});`,
    'const answer = program.exports.answer();',
    'program.save();',
    later ? 'await program.exports.later();' : '',
    'console.log(JSON.stringify({ answer, files: program.files() }));',
  ].join('\n');
  const child = runModuleScript(script, 30_000);
  if (child.status !== 0) throw new Error(`the child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { answer: number; files: { file: string; cached: boolean }[] };
}

describe('requireWithCodeCache', () => {
  it('runs a program and its chunks as Node would: one instance per file, packages and built-ins as usual', async () => {
    const program = requireWithCodeCache<Program>(writeProgram());
    expect(program.exports.answer()).toBe(42);
    expect(program.exports.builtin()).toBe('main.cjs');
    // A chunk required later sees the same instance of the chunk the entry loaded.
    await expect(program.exports.later()).resolves.toBe('same chunk');
    expect(program.files().map((f) => f.cached)).toEqual([false, false, false]);
  });

  it('writes a cache for each file run, and the next start compiles from it', () => {
    const entry = writeProgram();
    const first = requireWithCodeCache<Program>(entry);
    first.exports.answer();
    first.save();
    expect(existsSync(`${entry}.v8cache`)).toBe(true);
    expect(existsSync(join(dir.path, 'chunks', 'chunk.cjs.v8cache'))).toBe(true);
    // Not run yet: no cache for it.
    expect(existsSync(join(dir.path, 'chunks', 'later.cjs.v8cache'))).toBe(false);

    expect(startInChild(entry)).toEqual({
      answer: 42,
      files: [
        { file: entry, cached: true },
        { file: join(dir.path, 'chunks', 'chunk.cjs'), cached: true },
      ],
    });
  });

  it('writes the cache of a chunk first required after the save once its first use is over', async () => {
    const entry = writeProgram();
    const later = join(dir.path, 'chunks', 'later.cjs');
    const program = requireWithCodeCache<Program>(entry, { lateSaveMs: 50 });
    program.exports.answer();
    program.save();
    const startCache = readFileSync(`${entry}.v8cache`);
    await expect(program.exports.later()).resolves.toBe('same chunk');
    // Not at once: the first use of the chunk is still compiling what it runs.
    expect(existsSync(`${later}.v8cache`)).toBe(false);
    await expect.poll(() => existsSync(`${later}.v8cache`), { timeout: 5000 }).toBe(true);
    // The entry's cache was written again too, with the function that loaded the chunk.
    expect(readFileSync(`${entry}.v8cache`).equals(startCache)).toBe(false);

    expect(startInChild(entry, { later: true }).files).toEqual([
      { file: entry, cached: true },
      { file: join(dir.path, 'chunks', 'chunk.cjs'), cached: true },
      { file: later, cached: true },
    ]);
  });

  it("writes a late chunk's cache as the process exits when that comes before the delay", () => {
    const entry = writeProgram();
    const later = join(dir.path, 'chunks', 'later.cjs');
    // The child saves at start, loads the chunk later, and ends at once (the delay is 10 s).
    expect(startInChild(entry, { later: true }).files).toEqual([
      { file: entry, cached: false },
      { file: join(dir.path, 'chunks', 'chunk.cjs'), cached: false },
      { file: later, cached: false },
    ]);
    expect(existsSync(`${later}.v8cache`)).toBe(true);
    expect(startInChild(entry, { later: true }).files.every((f) => f.cached)).toBe(true);
  });

  it('never runs a stale cache: a rebuilt file of the same length compiles from its source', () => {
    const entry = writeProgram(42);
    requireWithCodeCache<Program>(entry).save();
    const before = readFileSync(entry, 'utf8');
    writeProgram(64);
    expect(readFileSync(entry, 'utf8')).toHaveLength(before.length);

    const rebuilt = startInChild(entry);
    expect(rebuilt.answer).toBe(64);
    expect(rebuilt.files[0]).toEqual({ file: entry, cached: false });
    // The stale cache was replaced on save.
    expect(startInChild(entry).files[0]).toEqual({ file: entry, cached: true });
  });

  it('runs the source when V8 refuses a damaged cache', () => {
    const entry = writeProgram();
    requireWithCodeCache<Program>(entry).save();
    const cache = readFileSync(`${entry}.v8cache`);
    // The source's hash intact, V8's part garbled.
    cache.fill(7, 40);
    writeFileSync(`${entry}.v8cache`, cache);

    const next = startInChild(entry);
    expect(next.answer).toBe(42);
    expect(next.files[0]).toEqual({ file: entry, cached: false });
  });

  it('a program that sets Haul’s V8 flags as it runs still finds its cache at the next start', () => {
    // As resolver-match.ts does when the plugins load: the caches are written after it.
    const entry = writeProgram();
    writeFileSync(
      entry,
      `require('node:v8').setFlagsFromString('--enable-experimental-regexp-engine');\n${readFileSync(entry, 'utf8')}`,
    );
    expect(startInChild(entry).files[0]).toEqual({ file: entry, cached: false });
    expect(startInChild(entry).files[0]).toEqual({ file: entry, cached: true });
    expect(startInChild(entry).files[0]).toEqual({ file: entry, cached: true });
  });
});
