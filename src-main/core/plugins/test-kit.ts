/** Helpers for the plugin tests: a real core in a temp folder with plugins written to disk. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scriptedEngine } from '../../test/job-kit';
import { tempDir } from '../../test/temp-dir';
import { createCoreWithParts, type Core, type CoreParts } from '../app';
import type { PluginLimits } from './plugin-instance';

/** The repository's resources/plugins. */
export const bundledPluginsDir = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'resources',
  'plugins',
);

export interface TestPlugin {
  manifest?: Record<string, unknown>;
  /** Raw plugin.json text, to test broken manifests. */
  manifestText?: string;
  code: string;
}

export function writePlugin(root: string, name: string, plugin: TestPlugin): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const manifest = { name, version: '1.0.0', description: `test plugin ${name}`, author: 'tests', ...plugin.manifest };
  writeFileSync(join(dir, 'plugin.json'), plugin.manifestText ?? JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'main.js'), plugin.code);
  return dir;
}

export interface PluginCore {
  core: Core & CoreParts;
  dir: string;
  downloadDir: string;
  engine: ReturnType<typeof scriptedEngine>;
  close(): Promise<void>;
}

/** Short limits so hostile plugins are stopped quickly; the logic is the same as in the app. */
export const testLimits: Partial<PluginLimits> = {
  syncMs: 1500,
  hookMs: 1500,
  resolveMs: 1500,
  graceMs: 5000,
  startMs: 15_000,
};

export async function openPluginCore(
  options: {
    plugins?: Record<string, TestPlugin>;
    bundled?: boolean;
    limits?: Partial<PluginLimits>;
    pluginTimeoutMs?: number;
    dataInDownloads?: boolean;
    /** The real download engine instead of the scripted one. */
    realEngine?: boolean;
  } = {},
): Promise<PluginCore> {
  const dir = tempDir('haul-plugins-');
  // Data folder inside the download folder: the data folder must stay out of reach anyway.
  const dataDir = options.dataInDownloads ? join(dir.path, 'dl', '.haul') : dir.path;
  const downloadDir = join(dir.path, 'dl');
  mkdirSync(downloadDir, { recursive: true });
  for (const [name, plugin] of Object.entries(options.plugins ?? {}))
    writePlugin(join(dataDir, 'plugins'), name, plugin);
  const engine = scriptedEngine();
  const core = createCoreWithParts({
    dataDir,
    downloadDir,
    runtime: 'headless',
    version: '1.0.0',
    downloadRunner: options.realEngine ? undefined : engine.runner,
    bundledPluginsDir: options.bundled ? bundledPluginsDir : join(dir.path, 'no-bundled'),
    plugins: { limits: { ...testLimits, ...options.limits } },
    jobs: { throttleMs: { download: 0, plugin: 0 }, pluginTimeoutMs: options.pluginTimeoutMs },
  });
  await core.plugins.ready;
  return {
    core,
    dir: dataDir,
    downloadDir,
    engine,
    close: async () => {
      await core.close();
      dir.remove();
    },
  };
}

/** Polls until `check` returns a value (bounded: about 20 s under a loaded machine). */
export async function waitFor<T>(check: () => T | undefined | false, what = 'the condition'): Promise<T> {
  for (let i = 0; i < 1000; i += 1) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Invokes a command and unwraps the envelope, failing the test with the error's message. */
export async function call<T = unknown>(core: Core, name: string, input: unknown): Promise<T> {
  const envelope = await core.invoke(name, input);
  if (!envelope.ok) throw new Error(`${name}: ${envelope.error.kind}: ${envelope.error.message}`);
  return envelope.value as T;
}
