import { lstat, rm } from 'node:fs/promises';

/**
 * Deletes a finished download's file at `path` while it still is that file as far as is
 * known of it: a regular file of `size` bytes. One moved away meanwhile, with something
 * else come under its name (a later download, a file the user put there), is left alone,
 * as is a link. True when deleted or already gone.
 */
export async function deleteDownloadedFile(path: string, size: number | null): Promise<boolean> {
  const stats = await lstat(path).catch(() => null);
  if (!stats) return true;
  if (!stats.isFile() || (size !== null && stats.size !== size)) return false;
  await rm(path, { force: true });
  return true;
}
