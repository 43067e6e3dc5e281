import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the Electron-ABI build of better-sqlite3 lives: in the packaged app's resources,
 * or, in development, where `npm start` (scripts/native-abi.mjs) built it. Undefined
 * when the shell runs under plain Node (the desktop end-to-end tests' Electron stand-in,
 * where process.versions.electron is absent): the package's own Node build is the one
 * that loads there.
 */
export function electronSqliteBinding(options: {
  isPackaged: boolean;
  resourcesPath: string;
  appPath: string;
  electronVersion: string | undefined;
}): string | undefined {
  if (!options.electronVersion) return undefined;
  const file = options.isPackaged
    ? join(options.resourcesPath, 'native', 'better_sqlite3.node')
    : join(options.appPath, '.native', `electron-${options.electronVersion}`, 'better_sqlite3.node');
  if (!existsSync(file)) {
    throw new Error(`better-sqlite3 for Electron ${options.electronVersion} is missing at ${file}; run \`npm start\`.`);
  }
  return file;
}
