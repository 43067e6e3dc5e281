import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { scriptedEngine } from '../test/job-kit';
import { tempDir } from '../test/temp-dir';
import { downloadJob } from '../test/job-fixtures';
import { createCore } from './app';
import { openDatabase } from './store/database';
import { JobStore } from './store/job-store';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

const start = () =>
  createCore({
    dataDir: dir.path,
    downloadDir: dir.path,
    runtime: 'headless',
    version: '0',
    downloadRunner: scriptedEngine().runner,
  });

it('starts on a database damaged after a clean stop, with every job it can still read and a notice', async () => {
  const first = start();
  await first.commands['settings.update']({ maxConcurrentDownloads: 2 });
  const urls = Array.from({ length: 300 }, (_, i) => `https://example.com/file-${i}.bin`);
  await first.commands['downloads.submit']({ url: urls.join('\n'), paused: true });
  await first.close();
  const file = join(dir.path, 'haul.db');
  const bytes = readFileSync(file);
  // Two pages in the middle of the file, as a bad sector or a torn copy would leave them.
  bytes.fill(0x5a, 40 * 4096, 42 * 4096);
  writeFileSync(file, bytes);

  // Before, the start threw "database disk image is malformed", and every start after it.
  const again = start();
  try {
    const [notice] = again.info.notices;
    expect(notice).toMatch(
      /^The job database was damaged and has been moved aside to .*haul\.db\.corrupt-.*; Haul started with a fresh one and copied into it what could still be read \(\d+ jobs\)/,
    );
    const { total } = await again.commands['jobs.list']({ source: 'download', limit: 1 });
    expect(total).toBeGreaterThan(250);
    expect(total).toBeLessThan(300);
    expect(notice).toContain(`(${total} jobs)`);
    expect(again.settings.get().maxConcurrentDownloads).toBe(2);
    expect(readdirSync(dir.path).some((name) => name.startsWith('haul.db.corrupt-'))).toBe(true);
  } finally {
    await again.close();
  }
});

it('a damaged page found while running is said plainly, and the next start repairs the file', async () => {
  const file = join(dir.path, 'haul.db');
  const db = openDatabase({ file });
  const store = new JobStore(db);
  db.transaction(() => {
    for (let i = 0; i < 500; i += 1) {
      const job = downloadJob({ id: i.toString(16).padStart(8, '0'), url: `https://example.com/old-${i}.bin` });
      store.insert({ job, position: i, live: false, notBefore: null, resumeState: null });
    }
  })();
  db.close();
  const bytes = readFileSync(file);
  // Pages 45 and 46 (counted from 1) hold rows of the jobs table.
  bytes.fill(0x5a, 44 * 4096, 46 * 4096);
  writeFileSync(file, bytes);

  // The start reads no page of the history: it starts as usual.
  const first = start();
  expect(first.info.notices).toEqual([]);
  const answer = await first.invoke('jobs.list', { source: 'download', limit: 1000 });
  expect(answer).toEqual({
    ok: false,
    error: {
      kind: 'unavailable',
      message: expect.stringMatching(/^Part of Haul's database is damaged, so this could not be read\. Restart Haul/),
    },
  });
  await first.close();

  const again = start();
  try {
    expect(again.info.notices[0]).toMatch(/moved aside .*copied into it what could still be read \(\d+ jobs\)/);
    const { total } = await again.commands['jobs.list']({ source: 'download', limit: 1 });
    expect(total).toBeGreaterThan(400);
    expect(total).toBeLessThan(500);
    expect(existsSync(`${file}-check`)).toBe(false);
  } finally {
    await again.close();
  }
});

it('starts with the jobs it can read when one stored job is unreadable, and says which was left out', async () => {
  const first = start();
  const submitted = await first.commands['downloads.submit']({
    url: 'https://example.com/a.bin\nhttps://example.com/b.bin',
    paused: true,
  });
  const [kept, odd] = submitted.jobs.map((job) => job.id);
  await first.close();
  // A value no job may hold (the schema wants a progress of 0 to 100), as a bug could write.
  const db = openDatabase({ file: join(dir.path, 'haul.db') });
  db.prepare(`UPDATE jobs SET data = json_set(data, '$.progress', -50) WHERE id = ?`).run(odd);
  db.close();

  // Before, the start threw "Job … in the database is unreadable", and every start after it.
  const again = start();
  try {
    expect(again.events.snapshot().jobs.map((job) => job.id)).toEqual([kept]);
    expect(again.info.notices).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Job ${odd} in the database is unreadable: .*progress.* It is left out of the live list; the others are loaded\\.$`,
          's',
        ),
      ),
    ]);
  } finally {
    await again.close();
  }
});
