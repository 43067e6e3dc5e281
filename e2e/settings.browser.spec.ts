import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { addThroughDialog, downloadAll, goTo, openApp, row, rpc } from './ui';

test.afterEach(async ({ haul }) => {
  await rpc(haul, 'settings.update', { maxConcurrentDownloads: 3, speedLimit: 0, downloadDir: null, theme: 'system' });
  await rpc(haul, 'jobs.pauseAll');
});

test('max concurrent downloads is saved, survives a reload and limits the running downloads', async ({
  page,
  haul,
  files,
}) => {
  await openApp(page, haul);
  await page.getByRole('button', { name: 'Settings' }).click();
  const field = page.getByRole('spinbutton', { name: /Downloads at once/ });
  await expect(field).toHaveValue('3');
  await field.fill('1');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  await page.reload();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('spinbutton', { name: /Downloads at once/ })).toHaveValue('1');

  // It takes effect: of three slow downloads, one runs and two wait.
  await page.getByRole('button', { name: 'Downloads' }).click();
  const names = ['limit-1.bin', 'limit-2.bin', 'limit-3.bin'];
  await addThroughDialog(
    page,
    names.map((name) => files.file(name, { size: 20_000_000, rate: 200_000 })),
  );
  const statuses = async () =>
    Promise.all(names.map((name) => row(page, name).getAttribute('data-status'))).then((s) => s.sort().join());
  await expect.poll(statuses).toBe('downloading,pending,pending');
  await page.waitForTimeout(1500);
  expect(await statuses()).toBe('downloading,pending,pending');
});

test('a refused setting shows the core’s message and keeps the form as typed', async ({ page, haul }) => {
  await openApp(page, haul);
  await page.getByRole('button', { name: 'Settings' }).click();
  const field = page.getByRole('spinbutton', { name: /Attempts per download/ });
  await field.fill('500');
  // Skip the browser's own range check to reach the core's validation.
  await page.locator('form.settings-form').evaluate((form) => form.setAttribute('novalidate', ''));
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText('Not saved: defaultMaxAttempts');
  await expect(field).toHaveValue('500');
});

test('speed limit and download folder are saved in the core, survive a reload and take effect', async ({
  page,
  haul,
  files,
}) => {
  const folder = join(haul.dataDir, 'elsewhere');
  await openApp(page, haul);
  await goTo(page, 'Settings');
  await page.getByRole('textbox', { name: 'Download folder' }).fill(folder);
  await page.getByRole('spinbutton', { name: 'Speed limit' }).fill('2');
  await page.getByRole('combobox', { name: 'Speed limit unit' }).selectOption('MB/s');
  await expect(page.getByText('2 unsaved changes')).toBeVisible();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  expect(await rpc(haul, 'settings.get')).toMatchObject({
    ok: true,
    value: { speedLimit: 2 * 1024 * 1024, downloadDir: folder },
  });

  await page.reload();
  await goTo(page, 'Settings');
  await expect(page.getByRole('textbox', { name: 'Download folder' })).toHaveValue(folder);
  await expect(page.getByRole('spinbutton', { name: 'Speed limit' })).toHaveValue('2');
  await expect(page.getByRole('combobox', { name: 'Speed limit unit' })).toHaveValue('MB/s');

  // The next download lands in the new folder.
  await goTo(page, 'Downloads');
  await downloadAll(page, [files.file('in-new-folder.bin')], ['in-new-folder.bin']);
  expect(existsSync(join(folder, 'in-new-folder.bin'))).toBe(true);

  // Emptying the folder goes back to the system's Downloads folder (null in the core).
  await goTo(page, 'Settings');
  await page.getByRole('textbox', { name: 'Download folder' }).fill('');
  await page.getByRole('spinbutton', { name: 'Speed limit' }).fill('0');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('All changes saved.')).toBeVisible();
  expect(await rpc(haul, 'settings.get')).toMatchObject({ value: { speedLimit: 0, downloadDir: null } });
});

test('desktop-only settings are hidden in a browser; the theme comes from the core', async ({ page, haul }) => {
  await openApp(page, haul);
  await goTo(page, 'Settings');
  await expect(page.getByTestId('settings-desktop')).toContainText('set in the desktop app');
  // The switches left are the two that work under haul serve too: the aria2 RPC's and
  // the SHA-256 of every download.
  await expect(page.getByRole('switch')).toHaveCount(2);
  await expect(page.getByRole('switch', { name: 'aria2-compatible RPC' })).toBeVisible();
  await expect(page.getByRole('spinbutton', { name: 'Port', exact: true })).toBeVisible();
  const fingerprint = page.getByRole('switch', { name: 'SHA-256 of every download' });
  await expect(fingerprint).not.toBeChecked();
  await fingerprint.click();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('All changes saved.')).toBeVisible();
  expect(await rpc(haul, 'settings.get')).toMatchObject({ value: { fingerprintDownloads: true } });

  await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  // Another window (a fresh browser context) gets the same theme from the core.
  const other = await page.context().browser()!.newPage();
  await openApp(other, haul);
  await expect(other.locator('html')).toHaveAttribute('data-theme', 'dark');
  await other.close();
});
