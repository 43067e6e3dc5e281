import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HaulError } from '../errors';

/** Owner only: the data folder holds request headers, cookies and the API token. */
export const privateDirMode = 0o700;
export const privateFileMode = 0o600;

/** The files Haul keeps directly in its data folder. */
const haulFile = /^(haul\.db(-wal|-shm|\.corrupt-.*)?|haul-claims\.log|api-token|server\.json)$/u;

/**
 * Creates the data folder private to the user, or makes it private again: the folder
 * 0700 and Haul's files directly in it (haul.db, -wal, -shm, haul-claims.log, api-token, server.json)
 * 0600. Returns a notice for the user when something was found open, else nothing.
 * Does nothing on Windows, where these modes do not describe who may read a file.
 */
export function makeDataDirPrivate(dataDir: string, platform: string = process.platform): string[] {
  try {
    return makePrivate(dataDir, platform);
  } catch (error) {
    const trouble = dataFolderTrouble(error);
    if (!trouble) throw error;
    throw new HaulError('unavailable', `Haul cannot use its data folder ${dataDir}: ${trouble}.`);
  }
}

const troubles: Record<string, string> = {
  EROFS: 'it is on a read-only disk',
  EACCES: 'this user may not write there',
  EPERM: 'this user may not write there',
  ENOTDIR: 'a file is in its path',
  // mkdir's answer on some read-only file systems, where the folder cannot be made.
  ENOENT: 'it cannot be made there',
  SQLITE_READONLY: 'it cannot be written',
};

/**
 * What keeps Haul from using its data folder, with what to do, for the errors a user can
 * fix; undefined for others.
 */
export function dataFolderTrouble(error: unknown): string | undefined {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  const trouble = troubles[code] ?? (code.startsWith('SQLITE_READONLY') ? troubles.SQLITE_READONLY : undefined);
  return trouble && `${trouble}. Fix that, or start Haul with another data folder (haul serve --data-dir)`;
}

function makePrivate(dataDir: string, platform: string): string[] {
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
