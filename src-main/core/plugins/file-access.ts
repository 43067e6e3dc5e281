import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Resource } from '../../../src-common/contract';
import { HaulError } from '../errors';
import type { PluginPaths } from './plugin-paths';

/**
 * The library items plugins may reach, by id. The library sits above the plugins in the
 * core, so the plugins see it only through this port (the Library class fits it).
 */
export interface ResourceAccess {
  get(id: number): Resource;
  /** Records that a hook moved or renamed an item's file. */
  moved(id: number, path: string, name: string): void;
}

export const hashAlgorithms = ['sha256', 'sha1', 'md5'] as const;
export type HashAlgorithm = (typeof hashAlgorithms)[number];

/** The most `files.read` returns; bigger files are for hash or move. @default 16 MB */
const maxReadBytes = 16 * 1024 * 1024;

export interface FileTarget {
  path: string;
  resourceId: number | null;
}

/**
 * haul.files: reaches library items (by id) and files under the download folder, nothing
 * else. Every path goes through PluginPaths, after resolving symlinks, so a link in the
 * download folder cannot lead out of it nor into Haul's data folder.
 */
export class FileAccess {
  constructor(
    private readonly library: ResourceAccess,
    private readonly paths: PluginPaths,
  ) {}

  /** A resource id, or a path (relative ones are under the download folder). */
  async target(target: unknown): Promise<FileTarget> {
    if (typeof target === 'number' && Number.isInteger(target)) {
      return { path: this.library.get(target).path, resourceId: target };
    }
    if (typeof target === 'object' && target !== null && typeof (target as { id?: unknown }).id === 'number') {
      return this.target((target as { id: number }).id);
    }
    if (typeof target !== 'string' || target === '') {
      throw new HaulError('invalid_input', 'files: expected a resource id or a path');
    }
    const real = await this.paths.check(target, 'files');
    try {
      return { path: await realpath(real), resourceId: null };
    } catch {
      throw new HaulError('not_found', `files: ${target} does not exist`);
    }
  }

  async read(target: unknown, options: { encoding?: unknown; maxBytes?: unknown }): Promise<string> {
    const { path } = await this.target(target);
    const encoding = options.encoding === 'base64' ? 'base64' : 'utf8';
    const limit = Math.min(typeof options.maxBytes === 'number' ? options.maxBytes : maxReadBytes, maxReadBytes);
    const handle = await open(path, 'r');
    try {
      const size = (await handle.stat()).size;
      if (size > limit) throw new HaulError('invalid_input', `files.read: ${basename(path)} is over ${limit} bytes`);
      const buffer = Buffer.alloc(size);
      await handle.read(buffer, 0, size, 0);
      return buffer.toString(encoding);
    } finally {
      await handle.close();
    }
  }

  /** Streams the file through the hash; `progress` gets 0..1 as bytes go by. */
  async hash(
    target: unknown,
    algorithm: unknown,
    progress: (fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<string> {
    if (!hashAlgorithms.includes(algorithm as HashAlgorithm)) {
      throw new HaulError('invalid_input', `files.hash: algorithm must be one of ${hashAlgorithms.join(', ')}`);
    }
    const { path } = await this.target(target);
    const total = (await stat(path)).size;
    const hash = createHash(algorithm as HashAlgorithm);
    let done = 0;
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024, signal })) {
      hash.update(chunk as Buffer);
      done += (chunk as Buffer).length;
      progress(total > 0 ? done / total : 1);
    }
    return hash.digest('hex');
  }

  /**
   * Moves a file within the download folder (or a library item into it). `destination`
   * is relative to the download folder; a trailing `/` keeps the name. An existing file is
   * never overwritten unless asked: the name gets ` (1)`, ` (2)`…
   */
  async move(
    target: unknown,
    destination: unknown,
    options: { overwrite?: unknown } = {},
  ): Promise<{ path: string; name: string; resourceId: number | null }> {
    const source = await this.target(target);
    if (typeof destination !== 'string' || destination.trim() === '') {
      throw new HaulError('invalid_input', 'files.move: destination must be a path under the download folder');
    }
    const asFolder = destination.endsWith('/') || destination.endsWith('\\');
    let wanted = await this.paths.check(destination, 'files.move');
    if (asFolder) wanted = join(wanted, basename(source.path));
    await mkdir(dirname(wanted), { recursive: true });
    // Checked again once the folders exist: a link created meanwhile cannot lead out.
    wanted = await this.paths.check(wanted, 'files.move');
    const final = options.overwrite === true ? wanted : await freeName(wanted);
    if (final !== source.path) {
      try {
        await rename(source.path, final);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
        await copyFile(source.path, final);
        await unlink(source.path);
      }
    }
    if (source.resourceId !== null) this.library.moved(source.resourceId, final, basename(final));
    return { path: final, name: basename(final), resourceId: source.resourceId };
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function freeName(path: string): Promise<string> {
  if (!(await exists(path))) return path;
  const ext = extname(path);
  const stem = path.slice(0, path.length - ext.length);
  for (let n = 1; n < 10_000; n += 1) {
    const candidate = `${stem} (${n})${ext}`;
    if (!(await exists(candidate))) return candidate;
  }
  throw new HaulError('conflict', `files.move: no free name for ${basename(path)}`);
}
