import { expect, test } from './fixtures';
import { addThroughDialog, goTo, libraryRow, openApp, row, rpc, scrollToEnd, shoot } from './ui';

test('screenshots of every view, light and dark', async ({ page, haul, files }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await openApp(page, haul);

  // A realistic list: running, paused, failed, completed, and a long name. The running one
  // is slow enough (even over several connections) to still run when a busy machine is done adding.
  await addThroughDialog(page, [files.file('ubuntu-24.04.1-desktop-amd64.iso', { size: 60_000_000, rate: 400_000 })]);
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

  await goTo(page, 'Library');
  await expect(libraryRow(page, 'photos.zip')).toBeVisible();
  await shoot(page, 'library');
  await libraryRow(page, 'photos.zip')
    .getByRole('button', { name: /Plugin actions/ })
    .click();
  await expect(page.getByRole('menuitem').first()).toBeVisible();
  await shoot(page, 'library-actions-menu');
  await page.getByRole('menuitem', { name: /Compute checksum/ }).click();
  const action = page.getByRole('dialog', { name: 'Compute checksum' });
  await shoot(page, 'library-action-form');
  await action.getByRole('button', { name: 'Run' }).click();
  await expect(action.getByTestId('action-result')).toBeVisible();
  await shoot(page, 'library-action-result');
  await action.getByRole('button', { name: 'Close' }).click();

  // Three files this test made (the shared server's library may hold more than a bulk
  // action takes at once, depending on what earlier tests left).
  for (const name of ['photos.zip', 'ok.bin', 'other.bin']) {
    // ok.bin and other.bin may still wait for a download slot.
    await expect(libraryRow(page, name)).toBeVisible({ timeout: 30_000 });
    await page.getByRole('checkbox', { name: `Select ${name}`, exact: true }).check();
  }
  await expect(page.getByRole('region', { name: 'Selected files' })).toContainText('3 files selected');
  await shoot(page, 'library-selection');
  await page.getByRole('button', { name: 'Plugin actions for the selected files' }).click();
  await page.getByRole('menuitem', { name: /Compute checksum/ }).click();
  const bulk = page.getByRole('dialog', { name: 'Compute checksum' });
  await bulk.getByRole('button', { name: /^Run on \d+ files$/ }).click();
  await expect(bulk.getByTestId('bulk-summary')).toContainText('succeeded');
  await shoot(page, 'library-bulk-result');
  await bulk.getByRole('button', { name: 'Close' }).click();

  await goTo(page, 'Plugins');
  await page.getByTestId('plugin-link-rules').getByRole('button', { name: 'Settings', exact: true }).click();
  await shoot(page, 'plugins');
  await page.getByTestId('plugin-link-rules').getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByTestId('plugin-checksum').getByRole('button', { name: 'Log' }).click();
  await expect(page.getByTestId('plugin-log-checksum')).not.toContainText('Reading the log');
  await shoot(page, 'plugins-log');
  await page.getByRole('button', { name: 'Install…' }).click();
  await page.getByRole('textbox', { name: 'Plugin folder or .zip file' }).fill('/no/such/plugin.zip');
  await page.getByRole('dialog').getByRole('button', { name: 'Install' }).click();
  await expect(page.getByRole('dialog').getByRole('alert')).toBeVisible();
  await shoot(page, 'plugins-install');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  await goTo(page, 'Settings');
  await page.getByRole('spinbutton', { name: 'Speed limit' }).fill('1.5');
  await shoot(page, 'settings');
  await scrollToEnd(page);
  await shoot(page, 'settings-end');
  await page.getByRole('button', { name: 'Undo changes' }).click();

  for (const view of ['Queues', 'About'] as const) {
    await goTo(page, view);
    if (view === 'Queues') await expect(page.getByTestId('queue-download')).toBeVisible();
    await shoot(page, view.toLowerCase());
  }
  await rpc(haul, 'jobs.pauseAll');
});

// The desktop window opens at 1100 px and may be made as small as 720 (src-main/shell).
for (const [width, columns] of [
  [1100, 7],
  [720, 4],
] as const) {
  test(`at a ${width} px window the Downloads view fits: ${columns} columns whole, tabs and tools on one line each`, async ({
    browser,
    haul,
    files,
  }) => {
    const context = await browser.newContext({ viewport: { width, height: 720 } });
    const page = await context.newPage();
    await rpc(haul, 'downloads.submit', { url: files.file('narrow-probe.bin'), force: true });
    await openApp(page, haul);
    const grid = page.getByRole('grid', { name: 'Downloads' });
    await expect(grid.getByRole('columnheader').filter({ visible: true })).toHaveCount(columns);
    const table = (await grid.boundingBox())!;
    for (const header of await grid.getByRole('columnheader').filter({ visible: true }).all()) {
      const box = (await header.boundingBox())!;
      expect(box.x + box.width, `${await header.textContent()} ends inside the table`).toBeLessThanOrEqual(
        table.x + table.width,
      );
    }
    // The sort and search make room or move above, never below the tabs' border.
    const tablist = page.getByRole('tablist', { name: 'Filter by status' });
    const tabRow = (await tablist.locator('..').boundingBox())!;
    for (const tab of await tablist.getByRole('tab').all()) {
      const box = (await tab.boundingBox())!;
      expect(Math.abs(box.y + box.height - (tabRow.y + tabRow.height)), 'a tab on the border').toBeLessThanOrEqual(2);
      expect(box.x + box.width, `${await tab.textContent()} ends inside the row`).toBeLessThanOrEqual(
        tabRow.x + tabRow.width,
      );
    }
    await expect(page.getByTestId('tab-failed')).toHaveAttribute('title', 'Failed or cancelled');
    const search = (await page.getByRole('searchbox', { name: 'Search downloads' }).boundingBox())!;
    expect(search.width).toBeGreaterThanOrEqual(120);
    // The toolbar's buttons on one line.
    const add = (await page.getByRole('button', { name: 'Add', exact: true }).boundingBox())!;
    const last = (await page.getByRole('button', { name: 'Move to bottom' }).boundingBox())!;
    expect(Math.abs(last.y + last.height / 2 - (add.y + add.height / 2))).toBeLessThanOrEqual(4);
    await shoot(page, `downloads-${width}`);
    await context.close();
  });
}

test('at the smallest window the Library keeps room for the name: the type and date give way', async ({
  browser,
  haul,
  files,
}) => {
  const context = await browser.newContext({ viewport: { width: 720, height: 720 } });
  const page = await context.newPage();
  await rpc(haul, 'downloads.submit', { url: files.file('library-narrow-probe.bin'), force: true });
  await openApp(page, haul);
  await goTo(page, 'Library');
  const table = page.getByRole('table', { name: 'Library' });
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  const box = (await table.boundingBox())!;
  const headers = table.getByRole('columnheader').filter({ visible: true });
  await expect(headers).toHaveCount(4);
  for (const header of await headers.all()) {
    const cell = (await header.boundingBox())!;
    expect(cell.x + cell.width, 'a column ends inside the table').toBeLessThanOrEqual(box.x + box.width + 1);
  }
  const name = (await table.getByRole('columnheader', { name: 'Name' }).boundingBox())!;
  expect(name.width).toBeGreaterThanOrEqual(150);
  await shoot(page, 'library-720');
  await context.close();
});

test('in a window narrower than the desktop allows, the sidebar keeps its icons and the view fits', async ({
  browser,
  haul,
}) => {
  const context = await browser.newContext({ viewport: { width: 420, height: 800 } });
  const page = await context.newPage();
  await openApp(page, haul);
  const sidebar = (await page.getByRole('navigation', { name: 'Sections' }).boundingBox())!;
  expect(sidebar.width).toBeLessThanOrEqual(60);
  // Each section keeps its name for a screen reader and a tooltip.
  await expect(page.getByRole('button', { name: 'Settings' })).toHaveAttribute('title', 'Settings');
  for (const element of [
    page.getByRole('searchbox', { name: 'Search downloads' }),
    page.getByRole('button', { name: 'Add', exact: true }),
  ]) {
    const box = (await element.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(420);
  }
  await goTo(page, 'Settings');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeInViewport();
  await shoot(page, 'settings-420');
  await context.close();
});

test('screenshot of a search that matches no download', async ({ browser, haul, files }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // At least one download, whatever earlier tests left (a failed test restarts the server).
  await rpc(haul, 'downloads.submit', { url: files.file('search-probe.bin'), force: true });
  await openApp(page, haul);
  await page.getByRole('searchbox', { name: 'Search downloads' }).fill('nothing-matches-this');
  await expect(page.getByText('No download matches')).toBeVisible();
  await shoot(page, 'downloads-no-match');
  await context.close();
});

test('screenshot of the panel with one submit of many files, in the order given', async ({ browser, haul, files }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await openApp(page, haul);
  // Slow enough that the first ones are still downloading while the rest wait for a slot.
  const names = Array.from({ length: 8 }, (_, i) => `batch-${i}.jpg`);
  await rpc(haul, 'downloads.submit', {
    url: names.map((name) => files.file(name, { size: 20_000_000, rate: 400_000 })).join('\n'),
  });
  const items = page.getByTestId('job-panel').locator('.panel-list > li');
  await expect(items.first()).toContainText('batch-0.jpg');
  await expect(page.getByTestId('job-panel').locator('[data-status="downloading"]').first()).toBeVisible();
  await expect(row(page, 'batch-7.jpg')).toBeVisible();
  await page.waitForTimeout(1500);
  // Made at the same moment with random ids: the panel keeps the order of the lines.
  const shown = (await items.locator('.panel-title').allInnerTexts()).filter((text) => text.startsWith('batch-'));
  expect(shown).toEqual(names);
  await shoot(page, 'panel-batch');
  await rpc(haul, 'jobs.pauseAll');
  await context.close();
});
