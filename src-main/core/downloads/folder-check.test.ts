import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { tempDir } from '../../test/temp-dir';
import { folderProblem } from './folder-check';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

it('accepts a folder there is, or one that can be made, and names what is in the way', async () => {
  mkdirSync(join(dir.path, 'there'));
  writeFileSync(join(dir.path, 'file'), '');
  expect(await folderProblem(join(dir.path, 'there'))).toBeNull();
  expect(await folderProblem(join(dir.path, 'not', 'yet', 'made'))).toBeNull();
  for (const path of [join(dir.path, 'file'), join(dir.path, 'file', 'sub')]) {
    expect(await folderProblem(path)).toBe(`A file is in the way of the folder (${path})`);
  }
});
