import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test/temp-dir';
import { SettingsStore } from './settings';
import { openDatabase } from './store/database';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

describe('the aria2 RPC secret', () => {
  it('is made once on first start and kept across restarts', () => {
    const file = join(dir.path, 'haul.db');
    const first = openDatabase({ file });
    const secret = new SettingsStore(first).get().aria2Secret;
    first.close();
    expect(secret).toMatch(/^[0-9a-f]{32}$/);
    const again = openDatabase({ file });
    expect(new SettingsStore(again).get().aria2Secret).toBe(secret);
    again.close();
  });

  it('is replaced by a fresh random one when emptied, and kept as typed otherwise', () => {
    const db = openDatabase({ file: join(dir.path, 'haul.db') });
    const store = new SettingsStore(db);
    const before = store.get().aria2Secret;
    const fresh = store.update({ aria2Secret: '' }).aria2Secret;
    expect(fresh).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh).not.toBe(before);
    expect(store.update({ aria2Secret: 'my-own' }).aria2Secret).toBe('my-own');
    expect(() => store.update({ aria2Secret: 'with space' })).toThrow();
    db.close();
  });
});
