import { expect, test } from './fixtures';
import { addThroughDialog, openApp, panelItem, progressOf, row, rpc } from './ui';

// Slow files keep slots busy: stop whatever a test left running so the next one starts clean.
test.afterEach(async ({ haul }) => {
  await rpc(haul, 'jobs.pauseAll');
});

test('progress shows in the table and the panel, and a finished job leaves the panel by itself', async ({
  page,
  haul,
  files,
}) => {
  await openApp(page, haul);
  await addThroughDialog(page, [files.file('progress.bin', { size: 8_000_000, rate: 1_000_000 })]);
  const tableRow = row(page, 'progress.bin');
  const item = panelItem(page, 'progress.bin');
  await expect(tableRow).toHaveAttribute('data-status', 'downloading');
  // The engine counts bytes as it writes them (1 MiB batches), so the file is a few MiB.
  const whileDownloading = (scope: typeof item) => async () =>
    (await scope.getAttribute('data-status')) === 'downloading' ? progressOf(scope) : -1;
  await expect.poll(whileDownloading(tableRow)).toBeGreaterThan(0);
  await expect.poll(whileDownloading(item)).toBeGreaterThan(0);
  await expect(item).toContainText(/B\/s · .* left/);
  await expect(tableRow).toHaveAttribute('data-status', 'completed', { timeout: 25_000 });
  expect(await progressOf(tableRow)).toBe(100);
  await expect(item).toContainText('Completed');
  // Seed 003: completed jobs leave the panel after 5 s; the table keeps them.
  await expect(item).toBeHidden({ timeout: 8_000 });
  await expect(tableRow).toBeVisible();
});

test('a download whose size arrives shows its own progress at once, not the stripe shrinking', async ({
  page,
  haul,
  files,
}) => {
  await openApp(page, haul);
  // Answered after a second: until then the size is unknown and the bars show a stripe.
  await addThroughDialog(page, [files.file('late-size.bin', { size: 60_000_000, rate: 600_000, answerAfterMs: 1000 })]);
  // Read on the first frame that shows the size, within the width's 0.4 s transition: the
  // fill is the file's share (about 0.1%), not the stripe's 30% on its way down.
  const measured = await page.waitForFunction(
    () => {
      const bars = [...document.querySelectorAll('[role=progressbar]')].filter((bar) =>
        bar.getAttribute('aria-label')?.startsWith('late-size.bin'),
      );
      const row = bars.map((bar) => bar.closest('[role=row]')).find(Boolean);
      if (!row?.textContent?.includes('MB')) return null;
      return bars.map(
        (bar) => bar.firstElementChild!.getBoundingClientRect().width / bar.getBoundingClientRect().width,
      );
    },
    undefined,
    { polling: 'raf', timeout: 10_000 },
  );
  const shares = (await measured.jsonValue())!;
  expect(shares.length).toBeGreaterThan(0);
  for (const share of shares) expect(share).toBeLessThan(0.05);
});

test('pause, resume, cancel and retry work from the table and from the panel', async ({ page, haul, files }) => {
  await openApp(page, haul);
  const name = 'controls.bin';
  await addThroughDialog(page, [files.file(name, { size: 3_000_000, rate: 100_000 })]);
  const tableRow = row(page, name);
  const item = panelItem(page, name);
  const toolbar = page.getByRole('toolbar', { name: 'Download actions' });
  await expect(tableRow).toHaveAttribute('data-status', 'downloading');

  // Table toolbar: pause.
  await tableRow.click();
  await toolbar.getByRole('button', { name: 'Pause' }).click();
  await expect(tableRow).toHaveAttribute('data-status', 'paused');
  await expect(item).toHaveAttribute('data-status', 'paused');

  // Panel: resume, then cancel.
  await item.getByRole('button', { name: `Resume ${name}` }).click();
  await expect(tableRow).toHaveAttribute('data-status', /pending|downloading/);
  await item.getByRole('button', { name: `Cancel ${name}` }).click();
  await expect(tableRow).toHaveAttribute('data-status', 'cancelled');

  // Table context menu: retry.
  await tableRow.click({ button: 'right' });
  await page.getByRole('menu').getByRole('menuitem', { name: 'Retry' }).click();
  await expect(tableRow).toHaveAttribute('data-status', 'downloading');

  // Panel: pause; table keyboard: Space resumes the selected row.
  await item.getByRole('button', { name: `Pause ${name}` }).click();
  await expect(tableRow).toHaveAttribute('data-status', 'paused');
  await page.getByTestId('downloads-body').focus();
  await page.keyboard.press('Space');
  await expect(tableRow).toHaveAttribute('data-status', /pending|downloading/);

  // Table toolbar: cancel; panel: retry.
  await toolbar.getByRole('button', { name: 'Cancel' }).click();
  await expect(tableRow).toHaveAttribute('data-status', 'cancelled');
  await expect(item).toHaveAttribute('data-status', 'cancelled');
  await item.getByRole('button', { name: `Retry ${name}` }).click();
  await expect(tableRow).toHaveAttribute('data-status', /pending|downloading/);
});

test('a failed download shows its error and can be retried from the panel', async ({ page, haul, files }) => {
  await openApp(page, haul);
  await addThroughDialog(page, [`${files.url}/status/404/missing.bin`]);
  const item = panelItem(page, 'missing.bin');
  await expect(row(page, 'missing.bin')).toHaveAttribute('data-status', 'failed');
  await expect(item).toContainText('404');
  // Collapsed, the panel still says a failure waits, rather than "All done" (other tests'
  // jobs, paused ones, may share the panel).
  const panel = page.getByTestId('job-panel');
  await panel.getByRole('button', { name: 'Collapse the job panel' }).click();
  await expect(panel.getByRole('button', { name: /^Jobs: (.* · )?\d+ failed\. Show the job panel$/ })).toBeVisible();
  await panel.getByRole('button', { name: /Show the job panel/ }).click();
  await item.getByRole('button', { name: 'Retry missing.bin' }).click();
  await expect(row(page, 'missing.bin')).toHaveAttribute('data-status', /pending|downloading|failed/);
  await item.getByRole('button', { name: 'Dismiss missing.bin' }).click();
  await expect(item).toBeHidden();
});

test('a progress event re-renders only its own row', async ({ page, haul, files }) => {
  await openApp(page, haul, { countRenders: true });
  await addThroughDialog(page, [files.file('still.bin')], { paused: true });
  await addThroughDialog(page, [files.file('moving.bin', { size: 6_000_000, rate: 1_000_000 })]);
  const moving = row(page, 'moving.bin');
  await expect(moving).toHaveAttribute('data-status', 'downloading');
  const stillId = (await row(page, 'still.bin').getAttribute('data-testid'))!.slice('row-'.length);
  const movingId = (await moving.getAttribute('data-testid'))!.slice('row-'.length);
  const counts = () => page.evaluate(() => ({ ...window.__haulRenders }));
  const before = await counts();
  // Several progress events (every 500 ms) reach the moving row...
  await expect
    .poll(async () => (await counts())[movingId]! - before[movingId]!, { timeout: 10_000 })
    .toBeGreaterThanOrEqual(3);
  // ...and none of them rendered the paused one.
  expect((await counts())[stillId]).toBe(before[stillId]);
});
