import { expect, test } from './fixtures';
import { addThroughDialog, openApp, row, rpc } from './ui';

test.afterEach(async ({ haul }) => {
  await rpc(haul, 'settings.update', { maxConcurrentDownloads: 3 });
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
