import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { diskProblem } from './disk-failure';

const notAFolder = () => Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });

/**
 * Why downloads could not be saved in `dir`, or null when they can: it is a folder Haul
 * may write in, or one it could make (its nearest existing parent is). Nothing is made.
 * For a download folder the user sets: refused at once with the reason, rather than
 * every download failing later.
 */
export async function folderProblem(dir: string): Promise<string | null> {
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
