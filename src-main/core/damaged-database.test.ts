import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { scriptedEngine } from '../test/job-kit';
import { tempDir } from '../test/temp-dir';
import { createCore } from './app';

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
