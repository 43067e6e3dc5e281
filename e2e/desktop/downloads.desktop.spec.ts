import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileBytes } from '../file-server';
import { addThroughDialog, panelItem } from '../ui';
import { expect, test } from './desktop-fixtures';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test('a download added in the window runs over IPC: tray and taskbar follow it, its notification shows the file', async ({
  desktop,
  files,
}) => {
  const app = await desktop.launch();
  const name = 'desktop-progress.bin';
  const size = 1_500_000;
  await addThroughDialog(app.page, [files.file(name, { size, rate: 400_000 })]);
  const item = panelItem(app.page, name);

  await test.step('the tray and the taskbar progress follow the download', async () => {
    await expect(item).toHaveAttribute('data-status', 'downloading');
    await expect
      .poll(async () => (await app.state()).tray?.tooltip)
      .toMatch(/^Haul: 1 downloading · \d+% · [\d.]+ [kM]?B\/s$/);
    expect((await app.state()).tray!.image).toMatch(/tray\/active\.png$/);
    await expect.poll(async () => (await app.state()).windows[0]!.progress.some((p) => p > 0 && p < 1)).toBe(true);
  });

  await test.step('it completes with the right bytes, and the tray goes idle', async () => {
    await expect(item).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    const file = join(desktop.profile.downloads, name);
    expect(sha256(readFileSync(file))).toBe(sha256(fileBytes(size)));
    await expect.poll(async () => (await app.state()).tray?.tooltip).toBe('Haul: idle');
    const state = await app.state();
    expect(state.tray!.image).toMatch(/tray\/idle\.png$/);
    expect(state.windows[0]!.progress.at(-1)).toBe(-1);
    // idle -> active -> idle, each with its own icon
    expect(state.tray!.history.map((h) => h.image.replace(/.*\//, ''))).toEqual(
      expect.arrayContaining(['idle.png', 'active.png']),
    );
  });

  await test.step('the completion notification, clicked, shows the file in its folder', async () => {
    await expect.poll(async () => (await app.state()).notifications.map((n) => n.title)).toContain('Download complete');
    const notification = (await app.state()).notifications.find((n) => n.title === 'Download complete')!;
    expect(notification).toMatchObject({ body: name, shown: true });
    await app.control('clickNotification', { id: notification.id });
    expect((await app.state()).shell).toContainEqual({
      method: 'showItemInFolder',
      target: join(desktop.profile.downloads, name),
    });
  });

  await test.step('opening a downloaded script asks first; Cancel opens nothing, Open opens it', async () => {
    const script = 'install-tool.sh';
    await addThroughDialog(app.page, [files.file(script, { size: 2000 })]);
    const done = panelItem(app.page, script);
    await expect(done).toHaveAttribute('data-status', 'completed');
    const target = join(desktop.profile.downloads, script);
    const opened = async () => (await app.state()).shell.filter((c) => c.method === 'openPath' && c.target === target);

    await app.control('setDialogResponse', { response: 0 }); // Cancel
    await done.getByRole('button', { name: `Open ${script}` }).click();
    await expect.poll(async () => (await app.state()).dialogs.length).toBe(1);
    expect((await app.state()).dialogs[0]!.message).toBe('This file is a program or script.');
    expect(await opened()).toEqual([]);

    await app.control('setDialogResponse', { response: 1 }); // Open
    await done.getByRole('button', { name: `Open ${script}` }).click();
    await expect.poll(opened).toHaveLength(1);
  });
});

test('pause, resume, cancel and retry from the job panel go over IPC; a failure shows in the tray', async ({
  desktop,
  files,
}) => {
  const app = await desktop.launch();
  const name = 'desktop-controls.bin';
  await addThroughDialog(app.page, [files.file(name, { size: 3_000_000, rate: 150_000 })]);
  const item = panelItem(app.page, name);
  await expect(item).toHaveAttribute('data-status', 'downloading');

  await item.getByRole('button', { name: `Pause ${name}` }).click();
  await expect(item).toHaveAttribute('data-status', 'paused');
  const paused = (await app.invoke<{ value: { jobs: { status: string }[] } }>('jobs.list')).value.jobs;
  expect(paused.map((j) => j.status)).toEqual(['paused']);
  await item.getByRole('button', { name: `Resume ${name}` }).click();
  await expect(item).toHaveAttribute('data-status', 'downloading');
  await item.getByRole('button', { name: `Cancel ${name}` }).click();
  await expect(item).toHaveAttribute('data-status', 'cancelled');
  await item.getByRole('button', { name: `Retry ${name}` }).click();
  await expect(item).toHaveAttribute('data-status', 'downloading');
  await item.getByRole('button', { name: `Pause ${name}` }).click();
  await expect(item).toHaveAttribute('data-status', 'paused');

  // A download that fails: the tray turns to its error icon and a notification says so;
  // clicking it opens the job's details in the window.
  await addThroughDialog(app.page, [`${files.url}/status/404/desktop-missing.bin`]);
  const failed = panelItem(app.page, 'desktop-missing.bin');
  await expect(failed).toHaveAttribute('data-status', 'failed');
  await expect.poll(async () => (await app.state()).tray?.tooltip).toMatch(/some failed$/);
  expect((await app.state()).tray!.image).toMatch(/tray\/error\.png$/);
  await expect.poll(async () => (await app.state()).notifications.map((n) => n.title)).toContain('Download failed');
  const notification = (await app.state()).notifications.find((n) => n.title === 'Download failed')!;
  expect(notification.body).toMatch(/desktop-missing\.bin: .*404/);
  await app.control('clickNotification', { id: notification.id });
  await expect(app.page.getByRole('complementary', { name: /^Details of .*desktop-missing\.bin$/ })).toBeVisible();
  // Retried from the panel, it runs again and fails again: a second notification.
  await failed.getByRole('button', { name: 'Retry desktop-missing.bin' }).click();
  await expect
    .poll(async () => (await app.state()).notifications.filter((n) => n.title === 'Download failed').length)
    .toBe(2);
});

test('twelve downloads finishing together notify a few times, not once a file; the summary shows the window', async ({
  desktop,
  files,
}) => {
  const app = await desktop.launch();
  const names = Array.from({ length: 12 }, (_, i) => `burst-${i}.bin`);
  await addThroughDialog(
    app.page,
    names.map((name) => files.file(name, { size: 20_000 })),
  );
  for (const name of names) await expect(panelItem(app.page, name)).toHaveAttribute('data-status', 'completed');

  const completions = async () =>
    (await app.state()).notifications.filter((n) => /^(Download complete|\d+ downloads complete)$/.test(n.title));
  const counted = async () =>
    (await completions()).reduce((sum, n) => sum + (Number(/^\d+/.exec(n.title)?.[0]) || 1), 0);
  // Each download counted once, the last ones when their window of 2 s closes.
  await expect.poll(counted, { timeout: 10_000 }).toBe(12);
  const shown = await completions();
  expect(shown.length).toBeLessThan(6);
  const summary = shown.find((n) => /^\d+ downloads complete$/.test(n.title));
  expect(summary?.body).toMatch(/^burst-\d+\.bin, burst-\d+\.bin(, burst-\d+\.bin( and \d+ more)?)?$/);

  const shellCalls = (await app.state()).shell.length;
  await app.control('hideWindow', {});
  expect((await app.state()).windows[0]).toMatchObject({ visible: false });
  await app.control('clickNotification', { id: summary!.id });
  const state = await app.state();
  expect(state.shell).toHaveLength(shellCalls);
  expect(state.windows[0]).toMatchObject({ visible: true, focused: true });
});
