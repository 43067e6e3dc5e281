import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { addThroughDialog, openApp, row, rpc } from './ui';

const dir = 'test-results/screenshots';

async function shoot(page: Page, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${dir}/${name}-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('screenshots of every view, light and dark', async ({ page, haul, files }) => {
  test.setTimeout(90_000);
  mkdirSync(dir, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await openApp(page, haul);

  // A realistic list: running, paused, failed, completed, and a long name.
  await addThroughDialog(page, [files.file('ubuntu-24.04.1-desktop-amd64.iso', { size: 60_000_000, rate: 1_500_000 })]);
  await addThroughDialog(page, [files.file('holiday-video.mkv', { size: 40_000_000 })], { paused: true });
  await addThroughDialog(page, [`${files.url}/status/404/report-2026.pdf`]);
  await addThroughDialog(page, [files.file('photos.zip', { size: 300_000 })]);
  await addThroughDialog(page, [
    files.file('a-very-long-file-name-that-does-not-fit-in-the-column-of-the-table-at-all.tar.gz', {
      size: 9_000_000,
      rate: 500_000,
    }),
  ]);
  await expect(row(page, 'photos.zip')).toHaveAttribute('data-status', 'completed');
  await expect(row(page, 'report-2026.pdf')).toHaveAttribute('data-status', 'failed');
  await expect(row(page, 'ubuntu-24.04.1-desktop-amd64.iso')).toHaveAttribute('data-status', 'downloading');
  await page.waitForTimeout(2500);
  await row(page, 'holiday-video.mkv').click();
  await shoot(page, 'downloads');

  await row(page, 'report-2026.pdf').click({ button: 'right' });
  await expect(page.getByRole('menu')).toBeVisible();
  await shoot(page, 'context-menu');
  await page.keyboard.press('Escape');

  await row(page, 'report-2026.pdf').dblclick();
  await expect(page.getByRole('complementary', { name: /Details of/ })).toBeVisible();
  await shoot(page, 'details');
  await page.getByRole('button', { name: 'Close details' }).click();

  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add downloads' });
  await dialog
    .getByRole('textbox')
    .first()
    .fill(`${files.file('ok.bin')}\nnot a link\n${files.file('other.bin')}`);
  await dialog.getByRole('button', { name: /More options/ }).click();
  await dialog.getByRole('button', { name: /^Add/ }).click();
  await expect(dialog.getByTestId('line-errors')).toBeVisible();
  await shoot(page, 'add-dialog');
  await dialog.getByRole('button', { name: 'Close' }).click();

  await page.getByRole('button', { name: 'Collapse the job panel' }).click();
  await shoot(page, 'panel-collapsed');
  await page.getByRole('button', { name: /Show the job panel/ }).click();

  const transfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.setData('text/uri-list', 'https://example.org/file.zip');
    return dt;
  });
  await page.dispatchEvent('main', 'dragenter', { dataTransfer: transfer });
  await page.dispatchEvent('main', 'dragover', { dataTransfer: transfer });
  await shoot(page, 'drop-overlay');
  await page.dispatchEvent('main', 'dragleave', { dataTransfer: transfer });

  for (const view of ['Library', 'Plugins', 'Queues', 'Settings', 'About']) {
    await page.getByRole('navigation').getByRole('button', { name: view }).click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    if (view === 'Queues') await expect(page.getByTestId('queue-download')).toBeVisible();
    if (view === 'Settings') await expect(page.getByRole('spinbutton').first()).toBeVisible();
    await shoot(page, view.toLowerCase());
  }
  await rpc(haul, 'jobs.pauseAll');
});

test('screenshot of the first run, before any download', async ({ browser, haul }) => {
  mkdirSync(dir, { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // A fresh window sees the jobs earlier tests left; filter to a search with no match.
  await openApp(page, haul);
  await page.getByRole('searchbox', { name: 'Search downloads' }).fill('nothing-matches-this');
  await expect(page.getByText('No download matches')).toBeVisible();
  await shoot(page, 'downloads-no-match');
  await context.close();
});
