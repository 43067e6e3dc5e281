import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { addThroughDialog, downloadAll, openApp, row, rpc } from './ui';

/** The number on a status tab. */
const tabCount = async (page: Page, tab: string) =>
  Number(await page.getByTestId(`tab-${tab}`).locator('.count').textContent());

/** The file names of the table's rows, top to bottom. */
const rowNames = (page: Page) =>
  page.getByRole('grid', { name: 'Downloads' }).locator('[data-testid^="row-"] .name-text').allTextContents();

test('a finished download stays in the table as history after it leaves the live list; Remove deletes it', async ({
  page,
  haul,
  files,
}) => {
  await openApp(page, haul);
  await downloadAll(page, [files.file('kept-history.bin')], ['kept-history.bin']);
  const search = page.getByRole('searchbox', { name: 'Search downloads' });
  await search.fill('kept-history');
  await expect.poll(() => tabCount(page, 'completed')).toBeGreaterThan(0);
  const completed = await tabCount(page, 'completed');
  const all = await tabCount(page, 'all');

  // Clear finished in the core: the job leaves the live list (a `removed` event) but not SQLite.
  await rpc(haul, 'jobs.clearCompleted');
  await page.waitForTimeout(1500);
  await expect(row(page, 'kept-history.bin')).toHaveAttribute('data-status', 'completed');
  expect(await tabCount(page, 'completed')).toBe(completed);
  expect(await tabCount(page, 'all')).toBe(all);

  // A new window never saw it live: it comes from jobs.list, with the same counts.
  await page.reload();
  await page.getByRole('searchbox', { name: 'Search downloads' }).fill('kept-history');
  await expect(row(page, 'kept-history.bin')).toHaveAttribute('data-status', 'completed');
  await expect.poll(() => tabCount(page, 'completed')).toBe(completed);
  expect(await tabCount(page, 'all')).toBe(all);

  // Remove (jobs.remove) deletes it from history too, for good.
  await row(page, 'kept-history.bin').click({ button: 'right' });
  await page.getByRole('menu').getByRole('menuitem', { name: 'Remove…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(row(page, 'kept-history.bin')).toHaveCount(0);
  await expect.poll(() => tabCount(page, 'completed')).toBe(completed - 1);
  await page.reload();
  await expect(page.getByTestId('tab-all').locator('.count')).toHaveText(String(all - 1));
  await expect(row(page, 'kept-history.bin')).toHaveCount(0);
});

test('Queue order follows the queue: Move to top puts a paused job first', async ({ page, haul, files }) => {
  await openApp(page, haul);
  const names = ['queue-first.bin', 'queue-second.bin', 'queue-third.bin'];
  await addThroughDialog(
    page,
    names.map((name) => files.file(name)),
    { paused: true },
  );
  await page.getByRole('combobox', { name: 'Sort by' }).selectOption({ label: 'Queue order' });
  await page.getByRole('searchbox', { name: 'Search downloads' }).fill('queue-');
  await expect.poll(() => rowNames(page)).toEqual(names);

  await row(page, 'queue-third.bin').click();
  await page.getByRole('button', { name: 'Move to top' }).click();
  await expect.poll(() => rowNames(page)).toEqual(['queue-third.bin', 'queue-first.bin', 'queue-second.bin']);
  // Up and down step past the neighbours in the whole queue, which other tests' jobs share;
  // the bottom is this test's own, as its jobs are the newest.
  await row(page, 'queue-first.bin').click();
  await page.getByRole('button', { name: 'Move to bottom' }).click();
  await expect.poll(() => rowNames(page)).toEqual(['queue-third.bin', 'queue-second.bin', 'queue-first.bin']);
  await page.getByRole('button', { name: 'Move up' }).click();
  await expect.poll(() => rowNames(page)).toEqual(['queue-third.bin', 'queue-first.bin', 'queue-second.bin']);
  await rpc(haul, 'jobs.pauseAll');
});
