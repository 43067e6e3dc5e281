import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileBytes } from '../file-server';
import { addThroughDialog, row } from '../ui';
import { expect, test } from './desktop-fixtures';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test('Quit from the tray ends Haul within 5 s; the running download resumes on the next start', async ({
  desktop,
  files,
}) => {
  const name = 'desktop-resume.bin';
  const size = 3_000_000;
  const first = await desktop.launch();
  // One connection: the quit then leaves one range to resume, fetched at the server's rate
  // for the file (3 MB at 300 KB/s: about 10 s, well past the quit).
  await first.invoke('settings.update', { connectionsPerDownload: 1 });
  await addThroughDialog(first.page, [files.file(name, { size, rate: 300_000 })]);
  const received = async () => {
    const list = await first.invoke<{ value: { jobs: { receivedBytes: number }[] } }>('jobs.list');
    return list.value.jobs[0]?.receivedBytes ?? 0;
  };
  await expect.poll(received, { timeout: 20_000 }).toBeGreaterThan(300_000);

  const quitAt = Date.now();
  await first.control('clickTrayItem', { label: 'Quit' });
  const code = await Promise.race([first.exited, new Promise((r) => setTimeout(() => r('still running'), 5000))]);
  expect(code).toBe(0);
  expect(Date.now() - quitAt).toBeLessThan(5000);
  const part = join(desktop.profile.downloads, `${name}.part`);
  expect(existsSync(part)).toBe(true);
  expect(statSync(part).size).toBeGreaterThan(0);
  expect(existsSync(join(desktop.profile.downloads, name))).toBe(false);
  // The window's size and place were kept for the next start.
  expect(JSON.parse(readFileSync(join(desktop.profile.userData, 'window.json'), 'utf8'))).toMatchObject({
    width: 1100,
    height: 720,
  });

  // The next start picks the download up where it stopped, and ends with the right bytes.
  const before = files.requests.length;
  const second = await desktop.launch();
  // The table, not the job panel: the rest may arrive before the window has opened, and the
  // panel lists what finishes while it is open.
  await expect(row(second.page, name)).toHaveAttribute('data-status', 'completed', { timeout: 30_000 });
  // A fresh start fetches byte 0 (a plain GET or bytes=0-); a resumed one never asks for it again.
  const resumed = files.requests.slice(before).filter((r) => r.name === name);
  expect(resumed.length).toBeGreaterThan(0);
  for (const request of resumed) expect(request.range).toMatch(/^bytes=[1-9]\d*-/);
  expect(sha256(readFileSync(join(desktop.profile.downloads, name)))).toBe(sha256(fileBytes(size)));
});
