import { realpath, rm } from 'node:fs/promises';
import type { ResumeState } from '../jobs/runner';
import { partSuffix } from './file-name';
import { decodeState } from './resume-state';
import { pathInFolder } from './target-folder';

/**
 * Removes the partial file a stopped download kept in `dir` for its next attempt, once
 * none will come. Only a plain `.part` name inside the folder is ever removed; a folder
 * that is gone has nothing to remove.
 */
export async function discardLeftoverPart(dir: string, saved: ResumeState): Promise<void> {
  const partName = decodeState(saved)?.partName;
  if (!partName?.endsWith(partSuffix)) return;
  let folder: string;
  try {
    folder = await realpath(dir);
  } catch {
    return;
  }
  await rm(pathInFolder(folder, partName), { force: true });
}
