import { link as linkCallback, lstat as lstatCallback, unlink as unlinkCallback } from 'node:fs';
import { mkdir, realpath, rename, statfs } from 'node:fs/promises';
import { promisify } from 'node:util';
import { dirname, join, relative, isAbsolute, sep } from 'node:path';
import { formatBytes } from '../../../src-common/format-bytes';
import { JobFailure } from '../jobs/runner';
import { diskFailure, PartGone } from './failures';
import { cleanFileName, isPlainAsciiName, maxNameBytes, numberedName, partSuffix } from './file-name';
import { PartFile, type PartFileOptions } from './part-file';

/** How many ` (n)` variants are tried before giving up on a name. */
const maxClashes = 1000;

/** True when `path` is `folder` itself or below it. */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/**
 * Files under this size are not measured against the free space first: one fills a disk
 * for no longer than it takes to fail, and the look would cost each small file of a burst
 * a file system call. @default 16 MiB
 */
const roomCheckedFrom = 16 * 1024 * 1024;

/**
 * Refuses a new download of `bytes` into `folder` when its disk has less free: it would
 * fill the disk for every other program first, and fail anyway. Not retried on its own:
 * the user frees space, or picks another folder. A disk that cannot be asked passes.
 */
export async function ensureRoom(folder: string, bytes: number): Promise<void> {
  if (bytes < roomCheckedFrom) return;
  let free: number;
  try {
    const disk = await statfs(folder);
    free = disk.bavail * disk.bsize;
  } catch {
    return;
  }
  if (free >= bytes) return;
  throw new JobFailure(
    'disk',
    `Not enough free space in ${folder}: the file is ${formatBytes(bytes)} and ${formatBytes(free)} are free. Free some space and retry.`,
  );
}

/**
 * How long a folder's real path is reused: a burst of downloads into one folder looks it
 * up once, not once each (a lookup waits for the file thread pool, which the syncs of
 * finishing downloads keep busy). A folder removed meanwhile is made again where the
 * part file is created (see reservePart). @default 1000
 */
const folderReuseMs = 1000;
const resolvedFolders = new Map<string, { path: string; at: number }>();

/**
 * The real path of the target folder, created when missing. The folder is looked up
 * first and created only when it is not there: one file system call for each download
 * into a folder that exists, instead of two, and none for the next ones within a second.
 */
export async function resolveFolder(dir: string): Promise<string> {
  const now = performance.now();
  const known = resolvedFolders.get(dir);
  if (known && now - known.at < folderReuseMs) return known.path;
  const path = await lookUpFolder(dir);
  for (const [key, entry] of resolvedFolders) if (now - entry.at >= folderReuseMs) resolvedFolders.delete(key);
  resolvedFolders.set(dir, { path, at: now });
  return path;
}

async function lookUpFolder(dir: string): Promise<string> {
  try {
    return await realpath(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw diskFailure(error, dir, false) ?? error;
  }
  try {
    await mkdir(dir, { recursive: true });
    return await realpath(dir);
  } catch (error) {
    const cause = (error as NodeJS.ErrnoException).code === 'ENOENT' ? await whyNotMade(dir, error) : error;
    throw diskFailure(cause, dir, false) ?? cause;
  }
}

/**
 * Node's recursive mkdir answers ENOENT where a folder could not be made for another
 * reason (a read-only disk): the first missing level, made alone, says which.
 */
export async function whyNotMade(
  dir: string,
  error: unknown,
  make: (path: string) => Promise<unknown> = (path) => mkdir(path),
): Promise<unknown> {
  const levels: string[] = [];
  for (let path = dir; dirname(path) !== path; path = dirname(path)) levels.unshift(path);
  for (const level of levels) {
    try {
      await make(level);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      return code === 'ENOENT' ? error : cause;
    }
  }
  return error;
}

/**
 * The calls of every download through the callback API: a missing name, the usual answer
 * of a free-name check, cost 47 µs of CPU here against 120 µs through fs/promises, whose
 * rejection builds its error again; a link or unlink about a third less of the main thread.
 */
const lstat = promisify(lstatCallback);
const link = promisify(linkCallback);
const unlink = promisify(unlinkCallback);

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw diskFailure(error, path, false) ?? error;
  }
}

/**
 * Names already found plain (see pathInFolder). A download joins the same two or three
 * names several times (its `.part`, its final name) and the checks were about a sixth of
 * a small file's file-name work; the set is emptied when it grows past `plainNamesKept`.
 */
const plainNames = new Set<string>();
const plainNamesKept = 256;

/**
 * Joins a name that must be a single plain component, and checks it stayed inside. A
 * name that is its own sanitized form has no separator and is not `.` or `..`, so joined
 * to any folder it is inside it: once shown for a name, that is not checked again, and a
 * plain ASCII name (most names) is shown so at a glance.
 */
export function pathInFolder(folder: string, name: string): string {
  const path = join(folder, name);
  if (plainNames.has(name) || isPlainAsciiName(name, maxNameBytes)) return path;
  if (cleanFileName(name, maxNameBytes) !== name || !isInside(folder, path)) {
    throw new JobFailure('internal', `Refusing a file name that is not a plain name: ${JSON.stringify(name)}`);
  }
  if (plainNames.size >= plainNamesKept) plainNames.clear();
  plainNames.add(name);
  return path;
}

export interface ReserveOptions {
  /**
   * Look up the final name before claiming it, and take ` (n)` while it is taken: a
   * download shown while it runs has its real name from the start. Without the look (a
   * small answer held in memory, written and published at once), the name asked for is
   * claimed as it is, and publishing takes ` (n)` where it is taken (see publish); a crash
   * in between finds the file there all the same (see alreadyPublished). The names after
   * it (its `.part` taken) are looked up either way: publishing numbers only the name
   * asked for, never `name (1) (1)`. @default true
   */
  lookUp?: boolean;
  /** How the part file is created. */
  part?: PartFileOptions;
}

/**
 * Picks the first `name`, `name (1)`, ... whose `.part` and (see ReserveOptions.lookUp)
 * final name are unused, and creates the `.part` exclusively so two downloads never share
 * it. `claim` runs (and must record the name durably) before the file is created: a crash
 * between the two then finds its own name, never an orphan `.part` it does not know about.
 * The `.part` is not looked up first: its exclusive creation fails when it is taken, and
 * the next name is claimed then (a second commit, only when names clash).
 */
export async function reservePart(
  folder: string,
  name: string,
  claim: (fileName: string) => void = () => undefined,
  { lookUp = true, part: partOptions }: ReserveOptions = {},
): Promise<{ fileName: string; part: PartFile }> {
  let remade = false;
  for (let n = 0; n < maxClashes; n += 1) {
    const fileName = numberedName(name, n);
    if ((lookUp || n > 0) && (await exists(pathInFolder(folder, fileName)))) continue;
    claim(fileName);
    try {
      const part = await PartFile.create(pathInFolder(folder, fileName + partSuffix), partOptions);
      return { fileName, part };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code === 'ENOENT' && !remade) {
        // The folder went away since it was looked up: made again, as a first lookup would.
        remade = true;
        await mkdir(folder, { recursive: true }).catch((made: unknown) => {
          throw diskFailure(made, folder, false) ?? made;
        });
        n -= 1;
        continue;
      }
      throw diskFailure(error, folder, false) ?? error;
    }
  }
  throw new JobFailure('disk', `Too many files named like ${name} in ${folder}.`);
}

/**
 * Moves the finished `.part` to its final name without ever replacing a file: a hard
 * link fails when the name was taken meanwhile, and then ` (n)` is tried. Where links
 * are not supported, a checked rename does the same with a tiny race window.
 */
export async function publish(folder: string, partName: string, name: string): Promise<string> {
  const partPath = pathInFolder(folder, partName);
  for (let n = 0; n < maxClashes; n += 1) {
    const fileName = numberedName(name, n);
    const finalPath = pathInFolder(folder, fileName);
    let linked = false;
    try {
      await link(partPath, finalPath);
      linked = true;
      await unlink(partPath);
      return fileName;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Published: the part file's name went meanwhile, as the unlink would have made it.
      if (linked && code === 'ENOENT') return fileName;
      if (linked) throw diskFailure(error, folder) ?? error;
      if (code === 'EEXIST') continue;
      // The part file, or its folder with it, was deleted since its last checkpoint.
      if (code === 'ENOENT') throw new PartGone(partPath);
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') {
        throw diskFailure(error, folder) ?? error;
      }
    }
    if (await exists(finalPath)) continue;
    try {
      await rename(partPath, finalPath);
      return fileName;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new PartGone(partPath);
      throw diskFailure(error, folder) ?? error;
    }
  }
  throw new JobFailure('disk', `Too many files named like ${name} in ${folder}.`);
}
