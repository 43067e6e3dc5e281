import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { scriptedCore } from '../test/core-kit';
import { tempDir } from '../test/temp-dir';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

it('refuses a download folder that downloads could not be saved in, with the reason, and keeps the one set', async () => {
  const core = scriptedCore(dir.path, dir.path);
  try {
    const good = join(dir.path, 'downloads');
    expect(await core.invoke('settings.update', { downloadDir: good })).toMatchObject({ ok: true });
    writeFileSync(join(dir.path, 'notes.txt'), '');
    const bad = join(dir.path, 'notes.txt', 'downloads');
    expect(await core.invoke('settings.update', { downloadDir: bad })).toEqual({
      ok: false,
      error: {
        kind: 'invalid_input',
        message: `downloadDir: A file is in the way of the folder (${bad}).`,
        details: { field: 'downloadDir' },
      },
    });
    expect(core.settings.get().downloadDir).toBe(good);
  } finally {
    await core.close();
  }
});
