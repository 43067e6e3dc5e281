import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { HaulError } from '../errors';

/** The folders a plugin's paths are judged against, read at each check (settings change). */
export interface PluginFolders {
  /** The current download folder: the one place a plugin may name by path. */
  downloadDir(): string;
  /** Haul's own data folder (database, token, plugins): never reachable by path. */
  dataDir: string | undefined;
}

function within(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * The real path of `path`, following links in the part that exists; the missing rest is
 * appended as written (it was already normalised by resolve, so it holds no `..`).
 */
async function realOrNearest(path: string): Promise<string> {
  const missing: string[] = [];
  let current = path;
  for (let guard = 0; guard < 4096; guard += 1) {
    try {
      return join(await realpath(current), ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const parent = dirname(current);
      if (parent === current) break;
      missing.push(basename(current));
      current = parent;
    }
  }
  return path;
}

async function realFolder(path: string | undefined): Promise<string | undefined> {
  return path === undefined ? undefined : realOrNearest(resolve(path));
}

/**
 * The one check every path a plugin names goes through (files.*, downloads.submit's dir,
 * hooks, resolvers): after resolving symlinks it must lie inside the download folder and
 * outside Haul's data folder. Relative paths are relative to the download folder, never
 * to the process's working folder. Library items are reached by id, not through here.
 */
export class PluginPaths {
  constructor(private readonly folders: PluginFolders) {}

  downloadDir(): string {
    return resolve(this.folders.downloadDir());
  }

  /** The real path `wanted` stands for, or a `forbidden` error naming the API and the path. */
  async check(wanted: string, api: string): Promise<string> {
    if (wanted.includes('\0')) throw new HaulError('invalid_input', `${api}: the path contains a NUL character`);
    const root = (await realFolder(this.downloadDir()))!;
    const real = await realOrNearest(resolve(root, wanted));
    if (!within(root, real)) {
      throw new HaulError('forbidden', `${api}: ${wanted} is outside the download folder (${root})`);
    }
    const data = await realFolder(this.folders.dataDir);
    // A download folder chosen inside the data folder is still the download folder.
    if (data !== undefined && within(data, real) && !(within(data, root) && data !== root)) {
      throw new HaulError('forbidden', `${api}: ${wanted} is inside Haul's data folder, which plugins cannot reach`);
    }
    return real;
  }

  /** The real download folder (created by the caller when needed). */
  async root(): Promise<string> {
    return (await realFolder(this.downloadDir()))!;
  }
}

/** A file name a plugin gives: one plain name, no folder part, nothing hidden in it. */
export function checkPlainName(name: string, api: string): string {
  // eslint-disable-next-line no-control-regex
  if (name === '.' || name === '..' || /[/\\\u0000-\u001f]/u.test(name)) {
    throw new HaulError('forbidden', `${api}: fileName must be a plain file name, not ${JSON.stringify(name)}`);
  }
  return name;
}
