import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test/temp-dir';
import { electronSqliteBinding } from './native-binding';

let dir: ReturnType<typeof tempDir> | undefined;
afterEach(() => dir?.remove());

describe('the SQLite driver build for the shell', () => {
  it('is the Electron build from .native/ in development, and refuses to go on without it', () => {
    dir = tempDir();
    const options = { isPackaged: false, resourcesPath: '/nowhere', appPath: dir.path, electronVersion: '45.4.1' };
    expect(() => electronSqliteBinding(options)).toThrow(/missing .*run `npm start`/);
    const file = join(dir.path, '.native', 'electron-45.4.1', 'better_sqlite3.node');
    mkdirSync(join(dir.path, '.native', 'electron-45.4.1'), { recursive: true });
    writeFileSync(file, '');
    expect(electronSqliteBinding(options)).toBe(file);
  });

  it('is the one in resources/native in a packaged app', () => {
    dir = tempDir();
    mkdirSync(join(dir.path, 'native'));
    writeFileSync(join(dir.path, 'native', 'better_sqlite3.node'), '');
    expect(
      electronSqliteBinding({ isPackaged: true, resourcesPath: dir.path, appPath: '/app', electronVersion: '45.4.1' }),
    ).toBe(join(dir.path, 'native', 'better_sqlite3.node'));
  });

  it("is the package's own build under plain Node (no Electron version), packaged or not", () => {
    expect(
      electronSqliteBinding({ isPackaged: false, resourcesPath: '/x', appPath: '/y', electronVersion: undefined }),
    ).toBeUndefined();
  });
});
