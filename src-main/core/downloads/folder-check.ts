import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, posix, win32 } from 'node:path';
import { diskProblem } from './disk-failure';

const notAFolder = () => Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });

/**
 * Why downloads could not be saved in `dir`, or null when they can: it is a folder Haul
 * may write in, or one it could make (its nearest existing parent is). Nothing is made.
 * For a download folder the user sets: refused at once with the reason, rather than
 * every download failing later.
 */
export async function folderProblem(dir: string): Promise<string | null> {
  const foreign = notAbsoluteHere(dir);
  if (foreign) return foreign;
  for (let path = dir; ; path = dirname(path)) {
    try {
      if (!(await stat(path)).isDirectory()) return diskProblem(notAFolder(), dir);
      await access(path, constants.W_OK | constants.X_OK);
      return null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && dirname(path) !== path) continue;
      return diskProblem(error, dir) ?? (error as Error).message;
    }
  }
}

/**
 * Why `dir` is not an absolute path where Haul runs, or null when it is. The contract takes
 * both POSIX and Windows forms (a client may not know the system), but on Linux `C:\x`
 * or `\\server\share` is a relative name that would land under Haul's working folder.
 */
export function notAbsoluteHere(dir: string, platform: string = process.platform): string | null {
  const absolute = platform === 'win32' ? win32.isAbsolute(dir) : posix.isAbsolute(dir);
  return absolute ? null : 'is not an absolute path on this system';
}
