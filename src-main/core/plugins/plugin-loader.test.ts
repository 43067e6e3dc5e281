import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanPlugins } from './plugin-loader';
import { tempDir } from '../../test/temp-dir';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

function plugin(folder: string, name: string): void {
  mkdirSync(join(dir.path, folder));
  const manifest = { name, version: '1.0.0', description: '', author: '' };
  writeFileSync(join(dir.path, folder, 'plugin.json'), JSON.stringify(manifest));
  writeFileSync(join(dir.path, folder, 'main.js'), '');
}

describe('scanPlugins', () => {
  it('lists plugins by name, whatever their folders are called, ignoring case', () => {
    plugin('a', 'zip-tools');
    plugin('b', 'organize');
    plugin('c', 'checksum');
    plugin('d', 'link-rules');
    // No manifest: listed (with its error) under its folder's name.
    mkdirSync(join(dir.path, 'Media'));
    expect(scanPlugins(dir.path, false).map((source) => source.name)).toEqual([
      'checksum',
      'link-rules',
      'Media',
      'organize',
      'zip-tools',
    ]);
  });

  it('finds nothing in a folder that does not exist', () => {
    expect(scanPlugins(join(dir.path, 'none'), false)).toEqual([]);
  });
});
