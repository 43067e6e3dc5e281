import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runDownloadChild } from '../../test/run-download-child';
import { tempDir } from '../../test/temp-dir';
import { fileSha256, randomBody, sha256 } from './test-context';
import { TestServer } from './test-server';

/** One life of the download child, killed `killAfterMs` after READY (null: at DONE). */
const run = (args: string[], killAfterMs: number | null) => runDownloadChild(args, killAfterMs, 45_000);
const dir = tempDir('haul-kill-');
const server = TestServer.forFile();
afterAll(() => dir.remove());

describe('downloads under SIGKILL', () => {
  it('every acknowledged download completes with the right bytes: no orphan .part, no ` (n)` copy', async () => {
    const bodies = new Map<string, Buffer>();
    for (let i = 0; i < 6; i += 1) {
      const body = randomBody(1024 * 1024 + i * 4099);
      bodies.set(`file-${i}.bin`, body);
      server.file(`/soak/file-${i}.bin`, body, { rateLimit: 1024 * 1024 });
    }
    const urls = [...bodies.keys()].map((name) => server.url(`/soak/${name}`)).join(' ');
    const downloads = join(dir.path, 'downloads');
    const args = (mode: string) => [dir.path, downloads, mode, urls];
    // Kills early (the first 100 ms, before any checkpoint) and later, in a fixed order.
    const first = await run(args('submit'), 40);
    const acks = first.acks;
    expect(acks).toHaveLength(6);
    for (const at of [15, 60, 120, 250, 500, 900]) await run(args('resume'), at);
    const last = await run(args('resume'), null);
    expect(last.done).toBe(true);

    const db = new BetterSqlite3(join(dir.path, 'haul.db'), { readonly: true });
    try {
      const statuses = db.prepare(`SELECT id, status FROM jobs`).all() as { id: string; status: string }[];
      expect(statuses.filter((row) => acks.includes(row.id)).map((row) => row.status)).toEqual(
        acks.map(() => 'completed'),
      );
    } finally {
      db.close();
    }
    expect(readdirSync(downloads).sort()).toEqual([...bodies.keys()].sort());
    for (const [name, body] of bodies) expect(await fileSha256(join(downloads, name)), name).toBe(sha256(body));
    const total = [...bodies.values()].reduce((sum, body) => sum + body.length, 0);
    const served = server.bytesServed(0);
    // Each kill costs what arrived since the written offsets were last saved (about 100 ms):
    // seven kills in 6 MiB at 6 MiB/s, so far more than the soak's share, yet well below 2x.
    expect(served).toBeLessThanOrEqual(1.5 * total);
  }, 120_000);

  it('small answers held in memory, and slow ones moved to a part file, survive kills the same way', async () => {
    const bodies = new Map<string, Buffer>();
    for (let i = 0; i < 24; i += 1) {
      // Two slow ones (4 s each) outlast the one-second hold and go to a part file; the kills
      // at 1.2 and 1.5 s find them there even when a loaded machine starts them late.
      const slow = i < 2;
      const body = randomBody(slow ? 200 * 1024 + i * 4099 : 16 * 1024 + i * 9973);
      bodies.set(`small-${i}.bin`, body);
      server.file(`/held/small-${i}.bin`, body, { rateLimit: slow ? 50 * 1024 : 512 * 1024 });
    }
    const urls = [...bodies.keys()].map((name) => server.url(`/held/${name}`)).join(' ');
    const base = join(dir.path, 'held');
    const downloads = join(base, 'downloads');
    const args = (mode: string) => [base, downloads, mode, urls];
    const first = await run(args('submit'), 40);
    expect(first.acks).toHaveLength(24);
    for (const at of [15, 300, 1200, 60, 1500, 250]) await run(args('resume'), at);
    const last = await run(args('resume'), null);
    expect(last.done).toBe(true);
    expect(readdirSync(downloads).sort()).toEqual([...bodies.keys()].sort());
    for (const [name, body] of bodies) expect(await fileSha256(join(downloads, name)), name).toBe(sha256(body));
    // The slow ones were resumed from their part files, not fetched again from zero.
    const resumed = server.log.filter((r) => /^\/held\/small-[01]\.bin$/.test(r.path) && r.range !== null);
    expect(resumed.length).toBeGreaterThan(0);
  }, 120_000);
});
