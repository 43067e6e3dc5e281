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

it.skipIf(process.platform === 'win32')(
  'refuses a Windows-style folder on this system, as a setting and for a download, rather than one under the working folder',
  async () => {
    const core = scriptedCore(dir.path, dir.path);
    try {
      for (const windowsPath of ['C:\\Downloads', '\\\\server\\share\\x']) {
        expect(await core.invoke('settings.update', { downloadDir: windowsPath })).toEqual({
          ok: false,
          error: {
            kind: 'invalid_input',
            message: 'downloadDir: is not an absolute path on this system.',
            details: { field: 'downloadDir' },
          },
        });
        expect(
          await core.invoke('downloads.submit', { url: 'http://127.0.0.1:9/a.bin', dir: windowsPath, paused: true }),
        ).toEqual({
          ok: false,
          error: {
            kind: 'invalid_input',
            message: 'dir: is not an absolute path on this system.',
            details: { field: 'dir' },
          },
        });
      }
      expect(core.settingsStore.get().downloadDir).toBeNull();
      expect(core.jobs.registry.snapshot().jobs).toHaveLength(0);
    } finally {
      await core.close();
    }
  },
);
