import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Owner only: the data folder holds request headers, cookies and the API token. */
export const privateDirMode = 0o700;
export const privateFileMode = 0o600;

/** The files Haul keeps directly in its data folder. */
const haulFile = /^(haul\.db(-wal|-shm|\.corrupt-.*)?|api-token|server\.json)$/u;

/**
 * Creates the data folder private to the user, or makes it private again: the folder
 * 0700 and Haul's files directly in it (haul.db, -wal, -shm, api-token, server.json)
 * 0600. Returns a notice for the user when something was found open, else nothing.
 * Does nothing on Windows, where these modes do not describe who may read a file.
 */
export function makeDataDirPrivate(dataDir: string, platform: string = process.platform): string[] {
  mkdirSync(dataDir, { recursive: true, mode: privateDirMode });
  if (platform === 'win32') return [];
  // Before Haul's first start nothing of the user's is in it yet (Electron makes the
  // folder with the usual mode before Haul runs): made private without a word.
  const firstStart = !existsSync(join(dataDir, 'haul.db'));
  const opened: string[] = [];
  if ((statSync(dataDir).mode & 0o077) !== 0) {
    chmodSync(dataDir, privateDirMode);
    opened.push('the folder itself');
  }
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    // Only Haul's own files: a data folder the user pointed elsewhere keeps theirs as is.
    if (!entry.isFile() || !haulFile.test(entry.name)) continue;
    const path = join(dataDir, entry.name);
    if ((statSync(path).mode & 0o077) === 0) continue;
    chmodSync(path, privateFileMode);
    opened.push(entry.name);
  }
  if (opened.length === 0 || firstStart) return [];
  return [
    `Haul's data folder ${dataDir} could be read by other users of this computer (${opened.join(', ')}); ` +
      'it is now readable by you only.',
  ];
}

/** Creates `file` empty and 0600 when missing, so SQLite's -wal and -shm take the same mode. */
export function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'a', privateFileMode));
}
