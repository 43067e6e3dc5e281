import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/temp-dir';
import { openDatabase } from '../store/database';
import { migrations } from '../store/migrations';
import { PluginRegistrations, registrationKey } from './plugin-registrations';
import type { Registration } from './protocol';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

const list: Registration[] = [
  { what: 'action', declaration: { id: 'tag', label: 'Tag', entity: 'custom' } },
  { what: 'resolver', pattern: '/^https:/i', regex: { source: '^https:', flags: 'i' } },
  { what: 'hook', event: 'download.completed' },
];

describe('migration 10: plugin registrations', () => {
  it('adds the table to a database of schema 8 and keeps what was there', () => {
    const file = join(dir.path, 'm9.db');
    const v9 = openDatabase({ file, migrations: migrations.filter((m) => m.version <= 9) });
    v9.prepare(`INSERT INTO plugin_state (name, enabled, settings, updated_at) VALUES ('a', 1, '{}', 1)`).run();
    v9.close();
    const db = openDatabase({ file });
    expect(db.prepare('SELECT name FROM plugin_state').all()).toEqual([{ name: 'a' }]);
    const store = new PluginRegistrations(db);
    store.set('a', 'k1', list);
    expect(store.get('a', 'k1')).toEqual(list);
    db.close();
  });
});

describe('plugin registrations', () => {
  it('answer only for the same code, manifest and settings, and never with an unreadable row', () => {
    const db = openDatabase({ file: join(dir.path, 'r.db') });
    const store = new PluginRegistrations(db);
    const key = registrationKey({ name: 'a' }, 'code', { x: 1 });
    expect(registrationKey({ name: 'a' }, 'code', { x: 2 })).not.toBe(key);
    expect(registrationKey({ name: 'a' }, 'code 2', { x: 1 })).not.toBe(key);
    expect(store.get('a', key)).toBeUndefined();
    store.set('a', key, list);
    expect(store.get('a', key)).toEqual(list);
    expect(store.get('a', registrationKey({ name: 'a' }, 'code', { x: 2 }))).toBeUndefined();
    db.prepare(`UPDATE plugin_registrations SET registrations = '[{"what":"nope"}]'`).run();
    expect(store.get('a', key)).toBeUndefined();
    db.close();
  });
});
