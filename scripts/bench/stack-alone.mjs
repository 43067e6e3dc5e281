/**
 * The floor under part c's row: the stack Haul is built on doing a small download's steps,
 * with none of Haul's own code, in a fresh process under Haul's V8 flags. Run as a child
 * (bundled like the engine child, see buildHaul) with `{ urls, dir, db }` as its argument;
 * prints `{ ms, cpuMs }`, counted from its modules loaded.
 *
 * Three at a time (Haul's download slots), each URL: undici's `request`, its body kept in
 * memory, written to `<name>.part`, synced, closed, linked to its name and the part
 * unlinked (as Haul publishes a file), with three SQLite statements in a WAL database
 * (the job added, in one transaction for all; its name claimed; its completion). Not
 * done here and done by Haul: the free-name check, the hash, the type, events, the API.
 */
import { link, open, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { request } from 'undici';
import { setRuntimeFlags } from '../../src-main/core/runtime-flags.ts';

setRuntimeFlags();
const { urls, dir, db: dbPath } = JSON.parse(process.argv[2]);
const db = new Database(dbPath);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE jobs (id INTEGER PRIMARY KEY, url TEXT NOT NULL, status TEXT NOT NULL, name TEXT, size INTEGER)');
const add = db.prepare('INSERT INTO jobs (url, status) VALUES (?, ?)');
const claim = db.prepare('UPDATE jobs SET name = ?, status = ? WHERE id = ?');
const done = db.prepare('UPDATE jobs SET status = ?, size = ? WHERE id = ?');

const startCpu = process.cpuUsage();
const started = performance.now();
const ids = db.transaction(() => urls.map((url) => add.run(url, 'queued').lastInsertRowid))();
let next = 0;

async function slot() {
  while (next < urls.length) {
    const i = next;
    next += 1;
    const name = join(dir, basename(new URL(urls[i]).pathname));
    const part = `${name}.part`;
    claim.run(name, 'downloading', ids[i]);
    const { statusCode, body } = await request(urls[i]);
    if (statusCode !== 200) throw new Error(`${urls[i]} answered ${statusCode}`);
    const chunks = [];
    for await (const chunk of body) chunks.push(chunk);
    const file = await open(part, 'wx');
    try {
      await file.writev(chunks);
      await file.datasync();
    } finally {
      await file.close();
    }
    await link(part, name);
    await unlink(part);
    done.run(
      'completed',
      chunks.reduce((size, chunk) => size + chunk.length, 0),
      ids[i],
    );
  }
}

await Promise.all([slot(), slot(), slot()]);
const cpu = process.cpuUsage(startCpu);
db.close();
console.log(JSON.stringify({ ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 }));
