import { readdirSync, rmSync } from 'node:fs';
import { cp, lstat, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { HaulError } from '../errors';
import type { PluginManifest } from './manifest';
import { readPluginFolder, type PluginSource } from './plugin-loader';
import { readZipFile, stripCommonFolder, ZipError } from './zip-reader';

/** Unpacks a .zip into a new folder under `parent`; nothing stays behind when it fails. */
async function unpack(zipPath: string, parent: string): Promise<string> {
  let files: Map<string, Buffer>;
  try {
    files = stripCommonFolder(await readZipFile(zipPath));
  } catch (error) {
    if (error instanceof ZipError) throw new HaulError('invalid_input', `path: ${error.message}`);
    throw error;
  }
  const dir = await mkdtemp(join(parent, stagingPrefix));
  try {
    for (const [name, content] of files) {
      const target = join(dir, name);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new HaulError('invalid_input', `path: the archive cannot be unpacked (${reason})`);
  }
  return dir;
}

/** Staging folders of an install that never finished (the app was killed meanwhile). */
const stagingPrefix = '.unpack-';
/** At start: no install runs yet, so any staging folder is a leftover. */
export function removeStaleStaging(userDir: string): void {
  let names: string[];
  try {
    names = readdirSync(userDir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(stagingPrefix) || name.startsWith('.copy-')) {
      rmSync(join(userDir, name), { recursive: true, force: true });
    }
  }
}

/** What installing `incoming` over `installed` changes, for the user to decide on. */
export function replacement(installed: PluginSource, incoming: PluginManifest): string {
  const who = (m: PluginManifest) => `${m.version}${m.author ? ` by ${m.author}` : ''}`;
  const asks = (m: PluginManifest) => (m.permissions.length > 0 ? m.permissions.join(', ') : 'no permissions');
  const before = installed.manifest;
  const added = incoming.permissions.filter((p) => !before?.permissions.includes(p));
  const what = before
    ? `${installed.name} ${who(before)} is installed (${asks(before)}).`
    : `${installed.name} is installed but does not load (${installed.error}).`;
  return (
    `${what} This one is ${who(incoming)} ` +
    `(${asks(incoming)}${before && added.length > 0 ? `; new: ${added.join(', ')}` : ''}). ` +
    `Replacing it gives it ${installed.name}'s settings and stored data.`
  );
}

/**
 * Installs a plugin folder or .zip into `userDir/<name>`, replacing an older copy. The
 * manifest is checked before anything is replaced, and handed to `check`, which may
 * refuse it; a bundled plugin's name is refused. Returns the installed folder.
 */
export async function installPlugin(
  path: string,
  userDir: string,
  bundledNames: Set<string>,
  check: (manifest: PluginManifest) => void = () => undefined,
): Promise<string> {
  const from = resolve(path);
  let info;
  try {
    info = await lstat(from);
  } catch {
    throw new HaulError('not_found', `path: ${path} does not exist`);
  }
  await mkdir(userDir, { recursive: true });
  const isZip = info.isFile() && from.toLowerCase().endsWith('.zip');
  if (!isZip && !info.isDirectory()) throw new HaulError('invalid_input', 'path: expected a plugin folder or a .zip');
  const staged = isZip ? await unpack(from, userDir) : from;
  try {
    const source = readPluginFolder(staged, false);
    if (source.error || !source.manifest) throw new HaulError('invalid_input', `Plugin not installed: ${source.error}`);
    const name = source.manifest.name;
    if (bundledNames.has(name)) throw new HaulError('conflict', `A bundled plugin is already called ${name}.`);
    check(source.manifest);
    const target = join(userDir, name);
    if (resolve(staged) === resolve(target)) return target;
    const incoming = isZip ? staged : await mkdtemp(join(userDir, '.copy-'));
    if (!isZip) {
      // Symlinks are left out: a plugin folder is plain files.
      await cp(staged, incoming, { recursive: true, filter: async (p) => !(await lstat(p)).isSymbolicLink() });
    }
    await rm(target, { recursive: true, force: true });
    await rename(incoming, target);
    return target;
  } finally {
    if (isZip) await rm(staged, { recursive: true, force: true });
  }
}
