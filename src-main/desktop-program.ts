/**
 * What the Electron entry (index.ts) loads once the app is ready, as one module: the core
 * and the desktop shell. One dynamic import keeps the build's chunks as `haul serve` has
 * them (the code both share in one chunk, not split among several).
 */
export { createCore } from './core/app';
export { openDownloadedFile, startDesktop } from './shell/desktop';
export { electronSqliteBinding } from './shell/native-binding';
