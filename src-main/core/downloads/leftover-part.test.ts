import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discardLeftoverPart } from './leftover-part';
import { encodeState } from './resume-state';
import { tempDir } from './test-context';

function savedState(partName: string) {
  return encodeState({
    fileName: 'x.bin',
    partName,
    url: 'http://files.example/x.bin',
    totalBytes: 10,
    etag: null,
    lastModified: null,
    contentType: null,
    resumable: true,
    segments: [{ start: 0, end: 10, pos: 4 }],
  });
}

describe('discardLeftoverPart', () => {
  it('removes the part file the state names, and nothing else', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'x.bin.part'), 'abcd');
    await writeFile(join(dir, 'x.bin'), 'kept');
    await discardLeftoverPart(dir, savedState('x.bin.part'));
    expect(await readdir(dir)).toEqual(['x.bin']);
    // Gone already, or a folder that is gone: nothing to do.
    await discardLeftoverPart(dir, savedState('x.bin.part'));
    await discardLeftoverPart(join(dir, 'missing'), savedState('x.bin.part'));
  });

  it('never removes a name that is not a plain .part name inside the folder', async () => {
    const root = await tempDir();
    const dir = join(root, 'downloads');
    await mkdir(dir);
    await writeFile(join(root, 'outside.part'), 'x');
    await writeFile(join(dir, 'x.bin'), 'x');
    await discardLeftoverPart(dir, savedState('x.bin'));
    await expect(discardLeftoverPart(dir, savedState('../outside.part'))).rejects.toThrow(/not a plain name/u);
    await discardLeftoverPart(dir, { not: 'a state' });
    expect(await readdir(root)).toEqual(['downloads', 'outside.part']);
    expect(await readdir(dir)).toEqual(['x.bin']);
  });
});
