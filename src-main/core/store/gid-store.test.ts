import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/temp-dir';
import { openDatabase } from './database';
import { GidStore } from './gid-store';
import { migrations } from './migrations';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

const gidMigration = migrations.find((m) => m.name === 'aria2 gids')!;

function insertJob(db: ReturnType<typeof openDatabase>, id: string): void {
  db.prepare(
    `INSERT INTO jobs (id, source, status, type, search, created_at, updated_at, data) VALUES (?, 'download', 'pending', 'download', '', 1, 1, '{}')`,
  ).run(id);
}

describe('migration: aria2 gids', () => {
  it('upgrades a database of the version before in place, keeping its jobs', () => {
    const file = join(dir.path, 'gids.db');
    const before = openDatabase({ file, migrations: migrations.filter((m) => m.version < gidMigration.version) });
    insertJob(before, 'aaaa0001');
    before.close();

    const db = openDatabase({ file });
    expect(db.prepare('SELECT id FROM jobs').all()).toEqual([{ id: 'aaaa0001' }]);
    const store = new GidStore(db);
    const gid = store.gidOf('aaaa0001');
    expect(gid).toMatch(/^[0-9a-f]{16}$/);
    // A GID is 16 hex characters and names one job; a job has one GID.
    expect(() => db.prepare(`INSERT INTO aria2_gids (gid, job_id) VALUES ('abc', 'aaaa0001')`).run()).toThrow();
    expect(() => db.prepare(`INSERT INTO aria2_gids (gid, job_id) VALUES (?, 'nojob')`).run('1'.repeat(16))).toThrow(
      /FOREIGN KEY/,
    );
    db.close();
  });

  it('keeps a GID across restarts and deletes it with its job', () => {
    const file = join(dir.path, 'gids.db');
    const first = openDatabase({ file });
    insertJob(first, 'bbbb0002');
    const gid = new GidStore(first).gidOf('bbbb0002');
    first.close();

    const again = openDatabase({ file });
    const store = new GidStore(again);
    expect(store.gidOf('bbbb0002')).toBe(gid);
    again.prepare(`DELETE FROM jobs WHERE id = 'bbbb0002'`).run();
    expect(store.lookup(gid)).toEqual([]);
    again.close();
  });
});

describe('GidStore', () => {
  it('finds a job by any unique prefix and says when a prefix is ambiguous', () => {
    const db = openDatabase({ file: join(dir.path, 'a.db') });
    const given = ['0123456789abcdef', '0123ffffffffffff', 'fedcba9876543210'];
    const store = new GidStore(db, () => given.shift()!);
    for (const id of ['j1', 'j2', 'j3']) insertJob(db, id);
    expect(['j1', 'j2', 'j3'].map((id) => store.gidOf(id))).toEqual([
      '0123456789abcdef',
      '0123ffffffffffff',
      'fedcba9876543210',
    ]);
    expect(store.lookup('0123456')).toEqual([{ gid: '0123456789abcdef', jobId: 'j1' }]);
    expect(store.lookup('0123')).toHaveLength(2);
    expect(store.lookup('f')).toEqual([{ gid: 'fedcba9876543210', jobId: 'j3' }]);
    expect(store.lookup('9')).toEqual([]);
    // Not hex, or too long: no match, and no SQL pattern tricks.
    expect(store.lookup('%')).toEqual([]);
    expect(store.lookup('0123456789abcdef0')).toEqual([]);
    db.close();
  });

  it('skips a random GID that is taken or all zeros', () => {
    const db = openDatabase({ file: join(dir.path, 'a.db') });
    const given = ['aaaaaaaaaaaaaaaa', 'aaaaaaaaaaaaaaaa', '0000000000000000', 'bbbbbbbbbbbbbbbb'];
    const store = new GidStore(db, () => given.shift()!);
    insertJob(db, 'j1');
    insertJob(db, 'j2');
    expect(store.gidOf('j1')).toBe('aaaaaaaaaaaaaaaa');
    expect(store.gidOf('j2')).toBe('bbbbbbbbbbbbbbbb');
    db.close();
  });

  it('binds a GID the client chose, unless another job holds it', () => {
    const db = openDatabase({ file: join(dir.path, 'a.db') });
    const store = new GidStore(db, () => 'cccccccccccccccc');
    insertJob(db, 'j1');
    insertJob(db, 'j2');
    expect(store.gidOf('j1')).toBe('cccccccccccccccc');
    expect(store.assign('j2', 'cccccccccccccccc')).toBe(false);
    expect(store.assign('j2', '00000000000000a1')).toBe(true);
    expect(store.assign('j1', '00000000000000b2')).toBe(true);
    expect(store.gidOf('j1')).toBe('00000000000000b2');
    expect(store.lookup('c')).toEqual([]);
    db.close();
  });
});
