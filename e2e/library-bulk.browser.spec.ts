import { createHash } from 'node:crypto';
import { fileBytes } from './file-server';
import { expect, test } from './fixtures';
import { downloadAll, goTo, libraryRow, openApp } from './ui';

test('an action runs on several selected files at once, one run per file, each with its result', async ({
  page,
  haul,
  files,
}) => {
  const names = ['bulk-one.bin', 'bulk-two.bin', 'bulk-three.bin'];
  const sizes = [100_000, 200_000, 300_000];
  await openApp(page, haul);
  await downloadAll(
    page,
    names.map((name, i) => files.file(name, { size: sizes[i] })),
    names,
  );
  await goTo(page, 'Library');
  await page.getByRole('searchbox', { name: 'Search the library' }).fill('bulk-');
  await expect(libraryRow(page, 'bulk-three.bin')).toBeVisible();

  await libraryRow(page, 'bulk-one.bin').getByRole('checkbox', { name: 'Select bulk-one.bin' }).check();
  await libraryRow(page, 'bulk-three.bin').getByRole('checkbox', { name: 'Select bulk-three.bin' }).check();
  const bar = page.getByRole('region', { name: 'Selected files' });
  await expect(bar.getByTestId('selection-count')).toHaveText('2 files selected');

  await bar.getByRole('button', { name: 'Plugin actions for the selected files' }).click();
  await page.getByRole('menuitem', { name: /Compute checksum/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Compute checksum' });
  await expect(dialog).toContainText('on 2 files');
  await dialog.getByRole('button', { name: 'Run on 2 files' }).click();

  await expect(dialog.getByTestId('bulk-summary')).toHaveText('Done: 2 of 2 succeeded.', { timeout: 15_000 });
  const results = dialog.getByRole('list', { name: 'Results per file' }).getByRole('listitem');
  await expect(results).toHaveCount(2);
  for (const [i, name] of [
    [0, 'bulk-one.bin'],
    [2, 'bulk-three.bin'],
  ] as const) {
    const digest = createHash('sha256').update(fileBytes(sizes[i]!)).digest('hex');
    await expect(results.filter({ hasText: name })).toContainText(digest);
  }
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Every file shown at once: the header box selects them all, and Clear empties the selection.
  await page.getByRole('checkbox', { name: 'Select every file shown' }).check();
  await expect(bar.getByTestId('selection-count')).toHaveText('3 files selected');
  await bar.getByRole('button', { name: 'Clear selection' }).click();
  await expect(bar).toBeHidden();
});
