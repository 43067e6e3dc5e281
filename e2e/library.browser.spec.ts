import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { addThroughDialog, downloadAll, goTo, libraryRow, openApp, panelItem, row, shoot } from './ui';

test('a completed download shows in the library with its type, size and source', async ({ page, haul, files }) => {
  await openApp(page, haul);
  await downloadAll(page, [files.file('library-report.pdf', { size: 300_000 })], ['library-report.pdf']);
  await goTo(page, 'Library');
  const entry = libraryRow(page, 'library-report.pdf');
  await expect(entry).toBeVisible();
  await expect(entry).toContainText('PDF');
  await expect(entry).toContainText('293 KB');
  await expect(entry).toContainText('127.0.0.1');
});

test('open and show in folder are off in a browser, saying why, in the library, table, menu and panel', async ({
  page,
  haul,
  files,
}) => {
  await openApp(page, haul);
  await downloadAll(page, [files.file('open-me.txt')], ['open-me.txt']);
  const why = 'Opening files works in the desktop app; in a browser, use the download folder.';

  // The panel keeps a finished job for a few seconds: long enough to see its buttons.
  for (const name of ['Open open-me.txt', 'Show open-me.txt in folder']) {
    const button = panelItem(page, 'open-me.txt').getByRole('button', { name });
    await expect(button).toBeDisabled();
    await expect(button).toHaveAttribute('title', why);
  }

  await row(page, 'open-me.txt').click();
  const toolbar = page.getByRole('toolbar', { name: 'Download actions' });
  for (const name of ['Open', 'Show in folder']) {
    await expect(toolbar.getByRole('button', { name, exact: true })).toBeDisabled();
    await expect(toolbar.getByRole('button', { name, exact: true })).toHaveAttribute('title', why);
  }
  await row(page, 'open-me.txt').click({ button: 'right' });
  await expect(page.getByRole('menuitem', { name: 'Open' })).toBeDisabled();
  await expect(page.getByRole('menuitem', { name: 'Show in folder' })).toBeDisabled();
  await page.keyboard.press('Escape');

  await goTo(page, 'Library');
  const open = libraryRow(page, 'open-me.txt').getByRole('button', { name: 'Open open-me.txt' });
  await expect(open).toBeDisabled();
  await expect(open).toHaveAttribute('title', why);
  await libraryRow(page, 'open-me.txt').dblclick();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('the row menu stays inside a short window', async ({ page, haul, files }) => {
  await page.setViewportSize({ width: 1000, height: 380 });
  await openApp(page, haul);
  await downloadAll(page, [files.file('menu-row.bin')], ['menu-row.bin']);
  // On its name: the job panel covers the row's right half in so short a window.
  await row(page, 'menu-row.bin').click({ button: 'right', position: { x: 40, y: 10 } });
  const menu = page.getByRole('menu', { name: 'Download actions' });
  const box = (await menu.boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(380);
  // Taller than the window: it scrolls to its last item.
  await menu.getByRole('menuitem', { name: 'Remove…' }).scrollIntoViewIfNeeded();
  await expect(menu.getByRole('menuitem', { name: 'Remove…' })).toBeInViewport();
});

test('library search and type filter narrow the list; no match says so', async ({ page, haul, files }) => {
  await openApp(page, haul);
  const names = ['search-alpha.mp4', 'search-beta.zip'];
  await downloadAll(
    page,
    names.map((name) => files.file(name)),
    names,
  );
  await goTo(page, 'Library');
  const search = page.getByRole('searchbox', { name: 'Search the library' });
  await search.fill('search-alpha');
  await expect(libraryRow(page, 'search-alpha.mp4')).toBeVisible();
  await expect(libraryRow(page, 'search-beta.zip')).toHaveCount(0);

  await search.fill('no-such-file-anywhere');
  await expect(page.getByTestId('library-no-match')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(search).toHaveValue('');
  await expect(libraryRow(page, 'search-beta.zip')).toBeVisible();

  // The server calls every file application/octet-stream, so "Video" finds none of them.
  await page.getByRole('combobox', { name: 'File type' }).selectOption({ label: 'Video' });
  await expect(page.getByTestId('library-no-match')).toBeVisible();
  await page.getByRole('combobox', { name: 'File type' }).selectOption({ label: 'All types' });
  await expect(libraryRow(page, 'search-alpha.mp4')).toBeVisible();
});

test('remove from library keeps the file, or deletes it when asked', async ({ page, haul, files }) => {
  await openApp(page, haul);
  const names = ['remove-keep.bin', 'remove-delete.bin'];
  await downloadAll(
    page,
    names.map((name) => files.file(name)),
    names,
  );
  await goTo(page, 'Library');
  const paths: Record<string, string> = {};
  for (const name of names) {
    paths[name] = (await libraryRow(page, name).locator('.lib-title').getAttribute('title')) ?? '';
    expect(existsSync(paths[name])).toBe(true);
  }

  await libraryRow(page, 'remove-keep.bin').getByRole('button', { name: 'Remove remove-keep.bin' }).click();
  let dialog = page.getByRole('dialog', { name: /Remove “remove-keep.bin”/ });
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await expect(libraryRow(page, 'remove-keep.bin')).toHaveCount(0);
  expect(existsSync(paths['remove-keep.bin']!)).toBe(true);

  await libraryRow(page, 'remove-delete.bin').getByRole('button', { name: 'Remove remove-delete.bin' }).click();
  dialog = page.getByRole('dialog', { name: /Remove “remove-delete.bin”/ });
  await dialog.getByLabel('Also delete the file').check();
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await expect(libraryRow(page, 'remove-delete.bin')).toHaveCount(0);
  await expect.poll(() => existsSync(paths['remove-delete.bin']!)).toBe(false);

  // Gone for good: a reload reads the library from the core again.
  await page.reload();
  await goTo(page, 'Library');
  await expect(libraryRow(page, 'remove-delete.bin')).toHaveCount(0);
  await expect(libraryRow(page, 'remove-keep.bin')).toHaveCount(0);
});

test('removing a download with its file keeps a file that changed since, and says so', async ({
  page,
  haul,
  files,
}) => {
  await openApp(page, haul);
  await downloadAll(page, [files.file('edited-later.bin')], ['edited-later.bin']);
  await goTo(page, 'Library');
  const path = (await libraryRow(page, 'edited-later.bin').locator('.lib-title').getAttribute('title')) ?? '';
  // The user wrote something else under that name since.
  writeFileSync(path, 'my own notes, not the download');
  await goTo(page, 'Downloads');
  await row(page, 'edited-later.bin').click({ button: 'right' });
  await page.getByRole('menu').getByRole('menuitem', { name: 'Remove…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Also delete the downloaded file').check();
  await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(row(page, 'edited-later.bin')).toHaveCount(0);
  const notice = page.getByRole('alert').filter({ hasText: `Kept ${path}` });
  await expect(notice).toContainText('it is no longer the file Haul downloaded');
  expect(readFileSync(path, 'utf8')).toBe('my own notes, not the download');
  await shoot(page, 'remove-kept-file');
});

test('the last rows of the table scroll out from under the job panel', async ({ page, haul, files }) => {
  await page.setViewportSize({ width: 800, height: 600 });
  await openApp(page, haul);
  const urls = Array.from({ length: 14 }, (_, i) => files.file(`under-panel-${i}.bin`));
  await addThroughDialog(page, urls, { paused: true });
  await expect(row(page, 'under-panel-13.bin')).toBeVisible();
  const body = page.getByTestId('downloads-body');
  // The window's content and the table, each scrolled to its end.
  await page.locator('.content').evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await body.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  const panel = (await page.getByTestId('job-panel').boundingBox())!;
  await expect
    .poll(async () => {
      const rows = await body
        .getByRole('row')
        .evaluateAll((all) => all.map((element) => element.getBoundingClientRect().bottom));
      return Math.max(...rows) <= panel.y + 1;
    })
    .toBe(true);
});
