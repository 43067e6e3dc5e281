import { lstat, rm } from 'node:fs/promises';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Deletes a finished download's file at `path` while it still is that file as far as is
 * known of it: a regular file of `size` bytes. One moved away meanwhile, with something
 * else come under its name (a later download, a file the user put there), is left alone,
 * as is a link. Answers undefined when the file is deleted or already gone; else why it
 * is still there, for the user who asked for it to go.
 */
export async function deleteDownloadedFile(path: string, size: number | null): Promise<string | undefined> {
  const stats = await lstat(path).catch(() => null);
  if (!stats) return undefined;
  const kept = `Kept ${path}:`;
  if (stats.isSymbolicLink()) return `${kept} a link has taken the downloaded file's place.`;
  if (!stats.isFile()) return `${kept} it is no longer a file.`;
  if (size !== null && stats.size !== size) {
    return `${kept} it is no longer the file Haul downloaded (${count(size)} bytes then, ${count(stats.size)} now).`;
  }
  try {
    await rm(path, { force: true });
    return undefined;
  } catch (error) {
    return `Could not delete ${path}: ${(error as Error).message}`;
  }
}
