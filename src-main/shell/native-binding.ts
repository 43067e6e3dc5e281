import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the Electron-ABI build of better-sqlite3 lives: in the packaged app's resources,
 * or, in development, where `npm start` (scripts/native-abi.mjs) built it.
 */
export function electronSqliteBinding(options: {
  isPackaged: boolean;
  resourcesPath: string;
  appPath: string;
  electronVersion: string;
}): string {
  const file = options.isPackaged
    ? join(options.resourcesPath, 'native', 'better_sqlite3.node')
    : join(options.appPath, '.native', `electron-${options.electronVersion}`, 'better_sqlite3.node');
  if (!existsSync(file)) {
    throw new Error(`better-sqlite3 for Electron ${options.electronVersion} is missing at ${file}; run \`npm start\`.`);
  }
  return file;
}
