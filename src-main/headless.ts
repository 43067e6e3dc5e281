/**
 * The entry of `haul serve` (`node out/main/headless.js`): starts the program of serve.ts.
 * The build makes a CommonJS copy of it (out/main/serve.cjs, see electron.vite.config.ts)
 * that is compiled with V8's code cache; from source (tsx, tests) serve.ts is imported.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireWithCodeCache } from './code-cache';
import { isEntry, runEntry } from './entry';
import { setRuntimeFlags } from './core/runtime-flags';
import { compactWhenIdle } from './idle-compact';
import type * as Program from './serve';

/**
 * The code caches are written as soon as the server listens: start-up's functions are all
 * compiled by then, and a short first run (started, then stopped) still leaves them. The
 * chunks loaded at the first download (the engine and undici) have theirs written after it
 * (see CachedProgram.save).
 */
const saveCacheAfterMs = 0;

export async function runServe(argv: string[]): Promise<void> {
  // Before the program loads: its start-up would grow the young generation otherwise.
  setRuntimeFlags();
  const built = join(dirname(fileURLToPath(import.meta.url)), 'serve.cjs');
  if (!existsSync(built)) {
    await (await import('./serve')).runServe(argv);
  } else {
    const program = requireWithCodeCache<typeof Program>(built);
    await program.exports.runServe(argv);
    // `save` never throws: a cache is an optimisation.
    setTimeout(() => program.save(), saveCacheAfterMs).unref();
  }
  compactWhenIdle();
}

if (isEntry(import.meta.url)) runEntry(() => runServe(process.argv.slice(2)));
