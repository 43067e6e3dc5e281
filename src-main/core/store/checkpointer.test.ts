import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Checkpointer, withoutInputType } from './checkpointer';
import { openDatabase } from './database';
import { tempDir } from '../../test/temp-dir';
import { runModuleScript } from '../../test/module-script';

const open: Database[] = [];
const folders: ReturnType<typeof tempDir>[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  for (const folder of folders.splice(0)) folder.remove();
});

async function freshDatabase(): Promise<{ db: Database; file: string }> {
  const folder = tempDir('haul-ckpt-');
  folders.push(folder);
  const file = join(folder.path, 'haul.db');
  const db = openDatabase({ file });
  open.push(db);
  db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
  return { db, file };
}

/** About 2 pages a commit, each in a commit of its own as the jobs write. */
function writeCommits(db: Database, count: number): void {
  const insert = db.prepare('INSERT INTO blobs (body) VALUES (?)');
  for (let i = 0; i < count; i += 1) insert.run(Buffer.alloc(6000, i));
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The status changes of a handful of small files in a row. */
function burst(checkpointer: Checkpointer): void {
  for (let i = 0; i < 20; i += 1) checkpointer.active();
}

const autocheckpoint = (db: Database): number => db.pragma('wal_autocheckpoint', { simple: true }) as number;

describe('the checkpoint worker', () => {
  it('starts on a burst of status changes, copies the WAL back from its own thread, and the WAL goes at close', async () => {
    const { db, file } = await freshDatabase();
    const copied: number[] = [];
    const checkpointer = new Checkpointer(db, { file, intervalMs: 20, onCheckpoint: (r) => copied.push(r.copied) });
    // A few status changes (one large download) leave the checkpoints where they were.
    for (let i = 0; i < 19; i += 1) checkpointer.active();
    expect(checkpointer.running).toBe(false);
    expect(autocheckpoint(db)).toBe(1000);
    checkpointer.active();
    expect(checkpointer.running).toBe(true);
    // The main connection leaves the checkpoints to the worker unless it falls far behind.
    expect(autocheckpoint(db)).toBe(10_000);
    writeCommits(db, 400);
    await until(() => copied.some((n) => n > 0));
    expect(db.prepare('SELECT count(*) AS n FROM blobs').get()).toEqual({ n: 400 });

    await checkpointer.close();
    expect(checkpointer.running).toBe(false);
    db.close();
    // The main connection closed last: SQLite removed the WAL, as after any clean stop.
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = openDatabase({ file });
    open.push(reopened);
    expect(reopened.prepare('SELECT count(*) AS n FROM blobs').get()).toEqual({ n: 400 });
  });

  it('stops after a quiet spell, gives the checkpoints back to the main connection, and starts again on work', async () => {
    const { db, file } = await freshDatabase();
    const checkpointer = new Checkpointer(db, { file, intervalMs: 10, idleTicks: 3 });
    burst(checkpointer);
    writeCommits(db, 50);
    await until(() => !checkpointer.running);
    expect(autocheckpoint(db)).toBe(1000);
    burst(checkpointer);
    expect(checkpointer.running).toBe(true);
    await checkpointer.close();
  });

  it('leaves the checkpoints to the main connection when the worker cannot start, and does not try again', async () => {
    const { db, file } = await freshDatabase();
    const checkpointer = new Checkpointer(db, { file, module: join(file, '..', 'no-such-module.js') });
    burst(checkpointer);
    expect(checkpointer.running).toBe(true);
    await until(() => !checkpointer.running);
    expect(autocheckpoint(db)).toBe(1000);
    burst(checkpointer);
    expect(checkpointer.running).toBe(false);
    writeCommits(db, 10);
    await checkpointer.close();
  });
});

describe('the checkpoint worker in a process run with --input-type=module', () => {
  it('still starts: its CommonJS program is not taken for a module', () => {
    const script = [
      `import { Checkpointer } from ${JSON.stringify(join(import.meta.dirname, 'checkpointer.ts'))};`,
      `import { openDatabase } from ${JSON.stringify(join(import.meta.dirname, 'database.ts'))};`,
      `import { tempDir } from ${JSON.stringify(join(import.meta.dirname, '..', '..', 'test', 'temp-dir.ts'))};`,
      `import { join } from 'node:path';`,
      "const folder = tempDir('haul-ckpt-');",
      "const file = join(folder.path, 'haul.db');",
      'const db = openDatabase({ file });',
      "db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');",
      'let copied = 0;',
      'const checkpointer = new Checkpointer(db, { file, intervalMs: 20, onCheckpoint: (r) => (copied += r.copied) });',
      'for (let i = 0; i < 20; i += 1) checkpointer.active();',
      "const insert = db.prepare('INSERT INTO blobs (body) VALUES (?)');",
      'for (let i = 0; i < 200; i += 1) insert.run(Buffer.alloc(6000, i));',
      'for (let i = 0; i < 250 && copied === 0; i += 1) await new Promise((r) => setTimeout(r, 20));',
      'await checkpointer.close(); db.close();',
      'folder.remove();',
      'console.log(JSON.stringify({ copied }));',
    ].join('\n');
    const child = runModuleScript(script);
    expect(child.status, child.stderr).toBe(0);
    const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { copied: number };
    expect(result.copied).toBeGreaterThan(0);
  });

  it('keeps every other flag', () => {
    expect(withoutInputType(['--cpu-prof', '--input-type=module', '--max-old-space-size=100'])).toEqual([
      '--cpu-prof',
      '--max-old-space-size=100',
    ]);
    expect(withoutInputType(['--input-type', 'module', '--trace-gc'])).toEqual(['--trace-gc']);
  });
});
