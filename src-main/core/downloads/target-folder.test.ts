import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobFailure } from '../jobs/runner';
import { publish } from './target-folder';
import { tempDir } from './test-context';

describe('publish', () => {
  it('gives the finished part file its name, numbered when the name is taken', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.bin'), 'theirs');
    await writeFile(join(dir, 'a.bin.part'), 'ours');
    expect(await publish(dir, 'a.bin.part', 'a.bin')).toBe('a (1).bin');
    expect((await readdir(dir)).sort()).toEqual(['a (1).bin', 'a.bin']);
  });

  it('says the part file was deleted, not that the folder is missing, when it is gone', async () => {
    const dir = await tempDir();
    const error = await publish(dir, 'b.bin.part', 'b.bin').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailure);
    expect(error).toMatchObject({ kind: 'disk', transient: false });
    expect((error as Error).message).toBe(
      `The partial file was deleted (${join(dir, 'b.bin.part')}). Resume to download the file again.`,
    );
    // Deleted with its folder: the same.
    await rm(dir, { recursive: true });
    await expect(publish(dir, 'b.bin.part', 'b.bin')).rejects.toMatchObject({
      message: expect.stringMatching(/^The partial file was deleted/),
    });
  });
});
