import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActionResult, PluginInfo } from '../../../src-common/contract';
import { call, openPluginCore, type PluginCore } from './test-kit';
import { zipOf } from './zip-kit';
import { readZipFrom, bufferSource, zipLimits } from './zip-reader';

let env: PluginCore | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const manifest = (name: string) => JSON.stringify({ name, version: '1.0.0', description: '', author: '' });
const where = `export function activate(haul) {
  haul.action({ id: 'where', label: 'Where', entity: 'custom', handler: async () =>
    ({ success: true, message: haul.files.downloadDir, data: await haul.files.read('note.txt') }) });
}`;

describe('plugin upkeep', () => {
  it('plugins see the download folder the user just chose, in haul.files and in paths', async () => {
    env = await openPluginCore({ plugins: { where: { manifest: { permissions: ['files'] }, code: where } } });
    writeFileSync(join(env.downloadDir, 'note.txt'), 'old folder');
    const run = async () =>
      (await call<{ result: ActionResult }>(env!.core, 'actions.run', { pluginName: 'where', actionId: 'where' }))
        .result;
    expect(await run()).toMatchObject({ message: env.downloadDir, data: 'old folder' });
    const moved = join(env.dir, 'elsewhere');
    mkdirSync(moved);
    writeFileSync(join(moved, 'note.txt'), 'new folder');
    await call(env.core, 'settings.update', { downloadDir: moved });
    expect(await run()).toMatchObject({ message: moved, data: 'new folder' });
  });

  it('installs a zip made by macOS Finder (with __MACOSX/ and ._ files)', async () => {
    env = await openPluginCore();
    const zip = join(env.dir, 'finder.zip');
    const files = {
      'finder/plugin.json': manifest('finder'),
      'finder/main.js': 'export function activate() {}',
      'finder/.DS_Store': 'junk',
      '__MACOSX/finder/._main.js': 'resource fork',
      '__MACOSX/._finder': 'resource fork',
    };
    writeFileSync(zip, zipOf(files, deflateRawSync));
    expect(await call<PluginInfo>(env.core, 'plugins.install', { path: zip })).toMatchObject({
      name: 'finder',
      state: 'active',
    });
    expect(readdirSync(join(env.dir, 'plugins', 'finder')).sort()).toEqual(['main.js', 'plugin.json']);
  });

  it('reads an archive an entry at a time, and refuses one too big from its directory alone', async () => {
    const reads: number[] = [];
    const counted = (zip: Buffer) => {
      const source = bufferSource(zip);
      return {
        size: source.size,
        read: (offset: number, length: number) => (reads.push(length), source.read(offset, length)),
      };
    };
    const entry = Buffer.alloc(1024 * 1024, 7);
    const files = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`p/${i}.bin`, entry]));
    const small = zipOf(files);
    expect((await readZipFrom(counted(small))).size).toBe(8);
    expect(Math.max(...reads)).toBeLessThanOrEqual(entry.length + 70_000);
    reads.length = 0;
    const zeros = Buffer.alloc(zipLimits.totalBytes / 8);
    const huge = zipOf(Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`z/${i}`, zeros])), deflateRawSync);
    await expect(readZipFrom(counted(huge))).rejects.toThrow(/unpacks to more than/);
    expect(reads.reduce((a, b) => a + b, 0)).toBeLessThan(huge.length);
    expect(reads.length).toBe(2);
  });

  it('a failed unpack leaves no staging folder; leftovers of a crash go at the next start', async () => {
    env = await openPluginCore();
    const zip = join(env.dir, 'clash.zip');
    writeFileSync(zip, zipOf({ 'p/plugin.json': manifest('clash'), 'p/a': 'file', 'p/a/b': 'under a file' }));
    const answer = await env.core.invoke('plugins.install', { path: zip });
    expect(answer).toMatchObject({ ok: false, error: { kind: 'invalid_input' } });
    expect((answer as { error: { message: string } }).error.message).toMatch(/the archive cannot be unpacked/);
    expect(readdirSync(join(env.dir, 'plugins')).filter((n) => n.startsWith('.'))).toEqual([]);
    mkdirSync(join(env.dir, 'plugins', '.unpack-left'), { recursive: true });
    await call(env.core, 'plugins.reload', {});
    expect(readdirSync(join(env.dir, 'plugins')).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});
