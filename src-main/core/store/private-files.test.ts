import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scriptedEngine } from '../../test/job-kit';
import { tempDir } from '../../test/temp-dir';
import { createCore, type Core } from '../app';
import { openOrRecoverDatabase } from './database';

const mode = (path: string) => statSync(path).mode & 0o777;
let dir: ReturnType<typeof tempDir> | undefined;
let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
  dir?.remove();
});

function open(dataDir: string): Core {
  return createCore({
    dataDir,
    downloadDir: join(dataDir, '..', 'dl'),
    runtime: 'headless',
    version: '1.0.0',
    downloadRunner: scriptedEngine().runner,
  });
}

describe.skipIf(process.platform === 'win32')('private data folder', () => {
  it('is created 0700 with haul.db, -wal, -shm and the token 0600, whatever the umask', async () => {
    dir = tempDir();
    const dataDir = join(dir.path, 'data');
    const umask = process.umask(0o022);
    try {
      core = open(dataDir);
      await core.invoke('downloads.submit', { url: 'https://files.example/a.bin', paused: true });
      core.apiToken();
    } finally {
      process.umask(umask);
    }
    expect(mode(dataDir)).toBe(0o700);
    for (const name of ['haul.db', 'haul.db-wal', 'haul.db-shm', 'api-token']) {
      expect(mode(join(dataDir, name)), name).toBe(0o600);
    }
    expect(core.info.notices).toEqual([]);
  });

  it('a folder made open before the first start (as Electron makes it) is made private without a notice', async () => {
    dir = tempDir();
    const dataDir = join(dir.path, 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    core = open(dataDir);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'haul.db'))).toBe(0o600);
    expect(core.info.notices).toEqual([]);
  });

  it('found open at start, it is made private again and the user is told', async () => {
    dir = tempDir();
    const dataDir = join(dir.path, 'data');
    core = open(dataDir);
    await core.close();
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'haul.db'), 0o644);
    writeFileSync(join(dataDir, 'server.json'), '{}', { mode: 0o666 });
    chmodSync(join(dataDir, 'server.json'), 0o666);
    writeFileSync(join(dataDir, 'mine.txt'), 'the user’s own', { mode: 0o644 });
    chmodSync(join(dataDir, 'mine.txt'), 0o644);
    core = open(dataDir);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'haul.db'))).toBe(0o600);
    expect(mode(join(dataDir, 'server.json'))).toBe(0o600);
    expect(mode(join(dataDir, 'mine.txt'))).toBe(0o644);
    expect(core.info.notices).toHaveLength(1);
    expect(core.info.notices[0]).toMatch(
      /could be read by other users .*the folder itself, haul\.db.*server\.json.*readable by you only/,
    );
  });
});

describe('a data folder Haul cannot use', () => {
  it('is refused at start with the reason and what to do, for the folder and for its database', () => {
    dir = tempDir();
    const blocker = join(dir.path, 'not-a-folder');
    writeFileSync(blocker, 'a file where the data folder would go');
    const dataDir = join(blocker, 'data');
    expect(() => open(dataDir)).toThrow(
      `Haul cannot use its data folder ${dataDir}: a file is in its path. Fix that, or start Haul with another data folder (haul serve --data-dir).`,
    );
    expect(() => openOrRecoverDatabase({ file: join(dataDir, 'haul.db') })).toThrow(
      `Haul cannot use its data folder ${dataDir}: a file is in its path.`,
    );
  });
});
