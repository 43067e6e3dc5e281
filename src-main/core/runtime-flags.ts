import { setFlagsFromString } from 'node:v8';

/**
 * V8 flags Haul sets while it runs: the linear-time regexp engine (the `l` flag), which
 * checks plugins' patterns on the main thread (plugins/resolver-match.ts).
 *
 * V8 takes a code cache only under the flags it was made with. A flag set while the
 * program runs is in effect when its caches are written, but not yet when the next start
 * reads them, so every start would compile from source again; the code cache
 * (src-main/code-cache.ts) therefore sets these before it compiles anything.
 */
export function setRuntimeFlags(): void {
  setFlagsFromString('--enable-experimental-regexp-engine');
}
