import type * as Fs from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { JobFailure } from '../jobs/runner';
import { pathInFolder, publish } from './target-folder';
import { tempDir } from './test-context';

/** What the next `unlink` answers instead of running, when set. */
const unlinkFails: { code: string | null } = { code: null };
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof Fs>();
  const unlink = (path: string, done: (error: NodeJS.ErrnoException | null) => void): void => {
    const code = unlinkFails.code;
    if (code === null) return fs.unlink(path, done);
    unlinkFails.code = null;
    const failure = Object.assign(new Error(`${code}: ${path}`), { code });
    // ENOENT: the name is gone, as another process would have made it; else refused.
    if (code === 'ENOENT') fs.unlink(path, () => done(failure));
    else setImmediate(() => done(failure));
  };
  return { ...fs, unlink };
});

describe('publish', () => {
  it('gives the finished part file its name, numbered when the name is taken', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.bin'), 'theirs');
    await writeFile(join(dir, 'a.bin.part'), 'ours');
    expect(await publish(dir, 'a.bin.part', 'a.bin')).toBe('a (1).bin');
    expect((await readdir(dir)).sort()).toEqual(['a (1).bin', 'a.bin']);
  });

  it('is done once the link is made, even when the part file name went meanwhile', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'c.bin.part'), 'ours');
    unlinkFails.code = 'ENOENT';
    expect(await publish(dir, 'c.bin.part', 'c.bin')).toBe('c.bin');
    expect(await readdir(dir)).toEqual(['c.bin']);
  });

  it('fails, and links no second name, when the part file cannot be unlinked after the link', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'd.bin.part'), 'ours');
    unlinkFails.code = 'EPERM';
    await expect(publish(dir, 'd.bin.part', 'd.bin')).rejects.toMatchObject({ kind: 'disk' });
    expect((await readdir(dir)).sort()).toEqual(['d.bin', 'd.bin.part']);
  });

  it('says the part file was deleted, not that the folder is missing, when it is gone', async () => {
    const dir = await tempDir();
    const error = await publish(dir, 'b.bin.part', 'b.bin').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailure);
    expect(error).toMatchObject({ kind: 'disk', transient: false });
    expect((error as Error).message).toBe(
      `The partial file was deleted (${join(dir, 'b.bin.part')}). Retry to download the file again.`,
    );
    // Deleted with its folder: the same.
    await rm(dir, { recursive: true });
    await expect(publish(dir, 'b.bin.part', 'b.bin')).rejects.toMatchObject({
      message: expect.stringMatching(/^The partial file was deleted/),
    });
  });
});

describe('pathInFolder', () => {
  it('joins a plain name, each time and under any folder, and refuses every other name each time', () => {
    for (let round = 0; round < 2; round += 1) {
      expect(pathInFolder('/data/downloads', 'a.bin')).toBe('/data/downloads/a.bin');
      expect(pathInFolder('/data/other/../more/', 'a.bin')).toBe('/data/more/a.bin');
      expect(pathInFolder('rel', 'a.bin.part')).toBe(join('rel', 'a.bin.part'));
      for (const name of ['../a.bin', 'x/a.bin', '..', '.', '', 'con.txt', 'a.bin.', 'a\\b']) {
        expect(() => pathInFolder('/data/downloads', name), name).toThrow(JobFailure);
      }
    }
  });
});
