/**
 * The extension API: Firefox's promise-based `browser`, else Chromium's `chrome` (whose
 * MV3 methods return promises too). Firefox's `chrome` alias may still want callbacks.
 * Read from globalThis so plain Node (unit tests) can import the modules that use it.
 */
const scope = globalThis as { browser?: typeof chrome; chrome?: typeof chrome };
export const ext = (scope.browser ?? scope.chrome)!;
