import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readZip, safeEntryName, stripCommonFolder } from './zip-reader';
import { zipOf } from './zip-kit';

describe('zip reader', () => {
  it('reads stored and deflated entries', async () => {
    for (const deflate of [undefined, deflateRawSync]) {
      const files = await readZip(
        zipOf({ 'p/plugin.json': '{}', 'p/main.js': 'export function activate() {}' }, deflate),
      );
      expect(Object.fromEntries([...files].map(([k, v]) => [k, v.toString()]))).toEqual({
        'p/plugin.json': '{}',
        'p/main.js': 'export function activate() {}',
      });
      expect([...stripCommonFolder(files).keys()].sort()).toEqual(['main.js', 'plugin.json']);
    }
  });

  it.each([
    ['../evil.js', '".." is not allowed'],
    ['a/../../evil.js', '".." is not allowed'],
    ['/etc/passwd', 'absolute paths are not allowed'],
    ['C:/Windows/evil.dll', 'absolute paths are not allowed'],
    ['a\\..\\evil.js', 'backslashes are not allowed'],
  ])('refuses the entry name %s', async (name, message) => {
    await expect(readZip(zipOf({ [name]: 'x' }))).rejects.toThrow(message);
  });

  it('refuses symlinks, damaged data and non-zips', async () => {
    await expect(readZip(zipOf({ link: '/etc' }, undefined, { unixMode: { link: 0o120777 } }))).rejects.toThrow(
      /symbolic links/,
    );
    const damaged = zipOf({ 'a.txt': 'hello' });
    const at = 30 + 'a.txt'.length;
    damaged[at] = damaged[at]! ^ 0xff;
    await expect(readZip(damaged)).rejects.toThrow(/checksum mismatch/);
    await expect(readZip(Buffer.from('not a zip at all, just text'))).rejects.toThrow(/not a zip archive/);
  });

  it('never yields a name that leaves the folder (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', '..', '.', '', 'b c', '/'), { maxLength: 6 }), (parts) => {
        const name = parts.join('/');
        try {
          const safe = safeEntryName(name);
          expect(safe.split('/')).not.toContain('..');
          expect(safe.startsWith('/')).toBe(false);
        } catch (error) {
          expect((error as Error).name).toBe('ZipError');
        }
      }),
    );
  });
});
