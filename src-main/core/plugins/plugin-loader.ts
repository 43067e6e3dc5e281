import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseManifest, type PluginManifest } from './manifest';

/** main.js larger than this is refused before it reaches the sandbox. @default 5 MB */
const maxCodeBytes = 5 * 1024 * 1024;

/** A plugin folder as read from disk: its manifest and code, or why it cannot load. */
export interface PluginSource {
  /** The manifest's name, or the folder's when the manifest is unreadable. */
  name: string;
  dir: string;
  bundled: boolean;
  manifest?: PluginManifest;
  code?: string;
  error?: string;
}

export function readPluginFolder(dir: string, bundled: boolean): PluginSource {
  const fallback = { name: basename(dir), dir, bundled };
  const manifestFile = join(dir, 'plugin.json');
  if (!existsSync(manifestFile)) return { ...fallback, error: 'plugin.json is missing' };
  const parsed = parseManifest(readFileSync(manifestFile, 'utf8'));
  if (!parsed.ok) return { ...fallback, error: parsed.error };
  const source = { name: parsed.manifest.name, dir, bundled, manifest: parsed.manifest };
  const mainFile = join(dir, 'main.js');
  if (!existsSync(mainFile)) return { ...source, error: 'main.js is missing' };
  const size = statSync(mainFile).size;
  if (size > maxCodeBytes) return { ...source, error: `main.js is over ${maxCodeBytes} bytes` };
  return { ...source, code: readFileSync(mainFile, 'utf8') };
}

/**
 * Plugin names ignoring case, without `localeCompare`: its first call loads ICU's collator,
 * 10-20 ms of every start. Names are ASCII (the manifest's pattern), so this is the same order.
 */
function byName(a: PluginSource, b: PluginSource): number {
  const [x, y] = [a.name.toLowerCase(), b.name.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Every plugin folder directly under `root` (missing root: none), by name. */
export function scanPlugins(root: string | undefined, bundled: boolean): PluginSource[] {
  if (!root || !existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => readPluginFolder(join(root, entry.name), bundled))
    .sort(byName);
}
