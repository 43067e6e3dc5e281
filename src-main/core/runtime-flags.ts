import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * The flags setRuntimeFlags sets (below). V8's flags are the process's, but V8 raises the
 * growth factor to its minimum of 2 for the whole process whenever it sets up a new
 * isolate's heap, as each worker thread has: each of Haul's worker programs (the
 * checkpointer, every plugin) sets these again as its first step, from its own thread.
 * Setting them from the main thread once the worker was `online` came too late at
 * start-up: the event waits for the main thread to be idle, and by then loading the
 * program had grown the young generation to 16-32 MB.
 */
export const runtimeFlags: readonly string[] = [
  '--enable-experimental-regexp-engine',
  '--semi-space-growth-factor=1',
  '--liftoff-only',
  `--interrupt-budget=${4 * 66 * 1024}`,
];

/**
 * V8 flags Haul sets while it runs:
 * - the linear-time regexp engine (the `l` flag), which checks plugins' patterns on the
 *   main thread (plugins/resolver-match.ts);
 * - a young generation that keeps the size it has when this is called (2-4 MB after
 *   Node's own start) instead of doubling up to 32 MB when many objects survive:
 *   start-up and every download with several connections grew it to its largest, kept
 *   for as long as the process lives. With received chunks freed once written
 *   (downloads/chunk-release.ts) the more frequent scavenges cost 2-8% more CPU on a
 *   gigabyte; see docs/performance.md. Only while running does V8 keep the growth
 *   factor at 1: given on the command line it is raised to 2.
 * - WebAssembly run by its baseline compiler only (Liftoff), never tiered up to TurboFan:
 *   undici's HTTP parser and the plugins' QuickJS are each one giant function, whose
 *   optimizing compile took 10 MB (the parser) and about 30 MB (QuickJS) of memory on a
 *   V8 thread, which glibc then kept, and hundreds of milliseconds of CPU. Code inside a
 *   plugin runs about half as fast once warm; plugins' work is short (the bundled ones
 *   leave hashing and files to the host).
 * - a function optimized by TurboFan after four times the work V8 waits for by default
 *   (66 KiB of bytecode run, now 264 KiB). In a batch of 500 small downloads in a fresh
 *   process V8 made 109 optimized compiles on its threads, a fifth of Haul's CPU, for
 *   functions that ran a few hundred times; a function that stays hot (a long download's
 *   chunk path, a big submit's loop) is still optimized within its first few hundred
 *   calls. See docs/performance.md. The desktop app's Electron has a newer V8, whose
 *   default is 132 KiB (with Maglev, a tier of its own budget, before TurboFan): there
 *   the same value is twice the default.
 *
 * V8 takes a code cache only under the flags it was made with. A flag set while the
 * program runs is in effect when its caches are written, but not yet when the next start
 * reads them, so every start would compile from source again; the code cache
 * (src-main/code-cache.ts) therefore sets these before it compiles anything.
 */
export function setRuntimeFlags(): void {
  for (const flag of runtimeFlags) setFlagsFromString(flag);
}

/**
 * The value of `expression` in a fresh context made while V8 `flag` is on: how a builtin
 * that V8 installs only under a flag (`gc` with --expose-gc) is reached without starting
 * Node with that flag. It works on this context's objects too (one isolate). The flag is
 * turned off again at once, since a code cache is taken only under the flags it was made
 * with.
 */
export function builtinUnderFlag(flag: string, expression: string): unknown {
  setFlagsFromString(`--${flag}`);
  try {
    return runInNewContext(expression);
  } finally {
    setFlagsFromString(`--no-${flag}`);
  }
}
