/**
 * Loads a built CommonJS program with V8's code cache, so a start does not compile the
 * same megabyte of JavaScript again: compiling the bundle and the functions start-up runs
 * was about 100 ms of every `haul serve` start. Node 20 offers this for scripts only
 * (`vm.Script` with `cachedData`), not for ES modules, hence the CommonJS copy.
 *
 * Each file's cache sits beside it (`<file>.v8cache`): it is trusted as much as the code
 * itself. The cache starts with the SHA-256 of the source it was made from; V8 checks
 * only the source's length, so a rebuilt file never runs a stale cache. V8 refuses a cache
 * made by another V8 or with other flags, and the source is compiled as usual then.
 * A missing, stale or refused cache is written anew by `save()`; a folder that cannot be
 * written to (an installed app) just goes without.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { Script, constants } from 'node:vm';
import { setRuntimeFlags } from './core/runtime-flags';

const hashBytes = 32;

interface Loaded {
  module: { exports: unknown };
  script: Script;
  file: string;
  hash: Buffer;
  cached: boolean;
  /** The cache was missing, stale or refused and is not written yet. */
  stale: boolean;
}

function readCache(file: string, hash: Buffer): Buffer | undefined {
  try {
    const data = readFileSync(`${file}.v8cache`);
    return data.subarray(0, hashBytes).equals(hash) ? data.subarray(hashBytes) : undefined;
  } catch {
    return undefined;
  }
}

export interface CachedProgram<T> {
  readonly exports: T;
  /** Each file run so far, and whether its code came from the cache. */
  files(): { file: string; cached: boolean }[];
  /**
   * Writes the caches that were missing or stale, with every function compiled so far.
   * A file first required after this (a chunk loaded when first used, such as the download
   * engine and undici at the first download) has its cache written `lateSaveMs` after it
   * loaded, with what that first use compiled, or when the process exits before then.
   */
  save(): void;
}

/**
 * How long after a chunk loads late its cache is written: the first use of a chunk (the
 * first download) compiles most of what later ones run. @default 10000
 */
const defaultLateSaveMs = 10_000;

/**
 * Runs `entry` and the files it requires by relative path (the bundle's own chunks) with
 * code caches; packages and built-ins load as usual.
 */
export function requireWithCodeCache<T>(
  entry: string,
  { lateSaveMs = defaultLateSaveMs }: { lateSaveMs?: number } = {},
): CachedProgram<T> {
  // The flags the program sets as it runs, set before the first compile: a cache is
  // taken only under the flags it was written with.
  setRuntimeFlags();
  const loaded = new Map<string, Loaded>();
  let saved = false;
  let lateSave: NodeJS.Timeout | undefined;
  const save = (): void => {
    saved = true;
    for (const item of loaded.values()) {
      if (!item.stale) continue;
      item.stale = false;
      const temporary = `${item.file}.v8cache.${process.pid}`;
      try {
        writeFileSync(temporary, Buffer.concat([item.hash, item.script.createCachedData()]), { mode: 0o644 });
        renameSync(temporary, `${item.file}.v8cache`);
      } catch {
        rmSync(temporary, { force: true });
      }
    }
  };
  const load = (file: string): unknown => {
    const known = loaded.get(file);
    if (known) return known.module.exports;
    const source = readFileSync(file, 'utf8');
    const hash = createHash('sha256').update(source).digest();
    const cachedData = readCache(file, hash);
    const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
      filename: file,
      cachedData,
      // The build turns `import()` into require (this option is experimental on Node 20 and
      // warns when used); one left over still resolves as in any module instead of failing.
      importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    const module = { exports: {} as unknown };
    // Registered before it runs, so files requiring each other see one instance, as in Node.
    const cached = cachedData !== undefined && script.cachedDataRejected !== true;
    loaded.set(file, { module, script, file, hash, cached, stale: !cached });
    if (saved && !cached && !lateSave) {
      const saveLate = (): void => {
        clearTimeout(lateSave);
        lateSave = undefined;
        process.off('exit', saveLate);
        // The files loaded at start are written again too, with the functions that first use
        // ran in them. Once per build: at the next start every file comes from its cache.
        for (const item of loaded.values()) item.stale = true;
        save();
      };
      lateSave = setTimeout(saveLate, lateSaveMs).unref();
      // A process that ends sooner (a short `haul serve`, stopped after one download) writes
      // them as it exits: its next start would compile that chunk from source again.
      process.once('exit', saveLate);
    }
    const nodeRequire = createRequire(file);
    const require = Object.assign(
      (id: string) =>
        id.startsWith('./') || id.startsWith('../') ? load(resolve(dirname(file), id)) : nodeRequire(id),
      { resolve: nodeRequire.resolve, cache: nodeRequire.cache },
    );
    (script.runInThisContext() as (...args: unknown[]) => void).call(
      module.exports,
      module.exports,
      require,
      module,
      file,
      dirname(file),
    );
    return module.exports;
  };
  const exports = load(entry) as T;
  return {
    exports,
    files: () => [...loaded.values()].map(({ file, cached }) => ({ file, cached })),
    save,
  };
}
