import { expect, test } from './fixtures';
import type { BrowserContext, Page } from '@playwright/test';
import type { HaulServer } from './fixtures';
import { dropData, openApp, panelItem, row, shoot } from './ui';

/** The app open with `lines` on the clipboard, one per line. */
async function openWithClipboard(page: Page, haul: HaulServer, context: BrowserContext, lines: string[]) {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: haul.url });
  await openApp(page, haul);
  await page.evaluate((text) => navigator.clipboard.writeText(text), lines.join('\n'));
}

test('Ctrl+V with links on the clipboard opens Add prefilled, and the downloads appear', async ({
  page,
  haul,
  files,
  context,
}) => {
  const urls = [files.file('paste-a.bin', { rate: 20_000 }), files.file('paste-b.bin', { rate: 20_000 })];
  await openWithClipboard(page, haul, context, ['Two files:', ...urls, 'thanks']);
  await page.getByRole('heading', { name: 'Downloads', exact: true }).click();
  await page.keyboard.press('ControlOrMeta+V');
  const dialog = page.getByRole('dialog', { name: 'Add downloads' });
  await expect(dialog.getByRole('textbox', { name: 'Links, one per line' })).toHaveValue(urls.join('\n'));
  await dialog.getByLabel('Add paused').check();
  await dialog.getByRole('button', { name: 'Add 2 downloads' }).click();
  await expect(dialog).toBeHidden();
  await expect(row(page, 'paste-a.bin')).toBeVisible();
  await expect(row(page, 'paste-b.bin')).toContainText('Paused');
  await expect(panelItem(page, 'paste-a.bin')).toBeVisible();
});

test('dropping a text/uri-list shows the overlay and opens Add prefilled; Ctrl+Enter adds', async ({
  page,
  haul,
  files,
}) => {
  await openApp(page, haul);
  const url = files.file('dropped.bin');
  const transfer = await page.evaluateHandle((u) => {
    const dt = new DataTransfer();
    dt.setData('text/uri-list', `# a comment\r\n${u}\r\n`);
    return dt;
  }, url);
  await page.dispatchEvent('main', 'dragenter', { dataTransfer: transfer });
  await page.dispatchEvent('main', 'dragover', { dataTransfer: transfer });
  await expect(page.getByTestId('drop-overlay')).toBeVisible();
  await expect(page.getByText('Drop links to download')).toBeVisible();
  await page.dispatchEvent('main', 'drop', { dataTransfer: transfer });
  await expect(page.getByTestId('drop-overlay')).toBeHidden();
  const dialog = page.getByRole('dialog', { name: 'Add downloads' });
  await expect(dialog.getByRole('textbox', { name: 'Links, one per line' })).toHaveValue(url);
  await dialog.getByLabel('Add paused').check();
  // Ctrl+Enter adds, from the links box too, where Enter alone is a new line.
  await dialog.getByRole('textbox', { name: 'Links, one per line' }).press('ControlOrMeta+Enter');
  await expect(dialog).toBeHidden();
  await expect(row(page, 'dropped.bin')).toContainText('Paused');
});

test('links dropped on the job panel are submitted at once, without the dialog', async ({ page, haul, files }) => {
  await openApp(page, haul);
  const url = files.file('panel-drop.bin');
  await dropData(page, '[data-testid="job-panel"]', { 'text/plain': `grab this: ${url}` });
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Added 1 download.' })).toBeVisible();
  await expect(row(page, 'panel-drop.bin')).toBeVisible();
});

test('a bad line is marked inline by its number while the good ones are added', async ({ page, haul, files }) => {
  await openApp(page, haul);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add downloads' });
  const box = dialog.getByRole('textbox', { name: 'Links, one per line' });
  await box.fill([files.file('good-line.bin'), 'not a link at all', 'ftp://example.org/x'].join('\n'));
  await dialog.getByLabel('Add paused').check();
  // Counted as the core takes them: one link, two lines that are not.
  await expect(dialog.getByTestId('add-count')).toHaveText('(1 link · 2 lines are not a link)');
  await dialog.getByRole('button', { name: 'Add download' }).click();
  // The good line went; the two bad ones stay, renumbered, each marked in the gutter.
  await expect(dialog.getByTestId('add-partial')).toContainText('Added 1 download');
  await expect(box).toHaveValue('not a link at all\nftp://example.org/x');
  await expect(dialog.getByTestId('line-errors')).toContainText('Line 1: not a URL');
  await expect(dialog.getByTestId('line-errors')).toContainText('Line 2: only http and https are supported');
  await expect(dialog.getByTestId('bad-line-1')).toBeVisible();
  await expect(dialog.getByTestId('bad-line-2')).toBeVisible();
  await expect(row(page, 'good-line.bin')).toBeVisible();

  // Nothing valid at all: the core refuses the submit and the line is still marked.
  await box.fill('still not a link');
  await expect(dialog.getByTestId('add-count')).toHaveText('(no links · 1 line is not a link)');
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText('None of the lines');
  await expect(dialog.getByTestId('bad-line-1')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});

test('a link already in the list is refused, and added again only when asked', async ({ page, haul, files }) => {
  await openApp(page, haul);
  const url = files.file('twice.bin');
  const add = async (text: string) => {
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Add downloads' });
    await dialog.getByRole('textbox', { name: 'Links, one per line' }).fill(text);
    await dialog.getByLabel('Add paused').check();
    await dialog.getByRole('button', { name: /^Add/ }).click();
    return dialog;
  };
  await expect(await add(url)).toBeHidden();
  const dialog = await add(url);
  await expect(dialog.getByRole('alert')).toHaveText('This link is already in the list, still downloading or waiting.');
  await expect(dialog.getByTestId('line-errors')).toHaveText(/^Line 1: already in the list as job [0-9a-f]{8}$/);
  await shoot(page, 'add-again');
  await dialog.getByRole('button', { name: 'Download it again anyway' }).click();
  await expect(dialog).toBeHidden();
  await expect(row(page, 'twice.bin')).toHaveCount(2);

  // Among other links: the line says why, without the API's advice, and the button adds it.
  const mixed = await add([url, files.file('fresh.bin')].join('\n'));
  await expect(mixed.getByTestId('line-errors')).toHaveText(/^Line 1: already in the list as job [0-9a-f]{8}$/);
  await mixed.getByRole('button', { name: 'Download it again anyway' }).click();
  await expect(mixed).toBeHidden();
  await expect(row(page, 'twice.bin')).toHaveCount(3);
  await expect(row(page, 'fresh.bin')).toHaveCount(1);
});

test('ten thousand pasted links: the box keeps its size, each number beside its line', async ({
  page,
  haul,
  context,
}) => {
  const links = Array.from({ length: 10_000 }, (_, i) => `http://127.0.0.1:9/many/file-${i}.bin`);
  await openWithClipboard(page, haul, context, links);
  await page.getByRole('heading', { name: 'Downloads', exact: true }).click();
  await page.keyboard.press('ControlOrMeta+V');
  const dialog = page.getByRole('dialog', { name: 'Add downloads' });
  const box = dialog.getByRole('textbox', { name: 'Links, one per line' });
  await expect(box).toHaveValue(links.join('\n'));
  // The button is on screen: the line numbers once made the box ten thousand rows tall.
  await expect(dialog.getByRole('button', { name: 'Add 10,000 downloads' })).toBeInViewport();
  const gutter = dialog.locator('.gutter');
  expect((await gutter.boundingBox())!.height).toBe((await box.boundingBox())!.height);
  // At the end of the text, the gutter scrolled with it and shows the last number.
  await box.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  const apart = () =>
    dialog.evaluate((element) => {
      const [numbers, text] = [element.querySelector('.gutter')!, element.querySelector('textarea')!];
      return { scrolled: text.scrollTop > 0, apart: numbers.scrollTop - text.scrollTop };
    });
  await expect.poll(apart).toEqual({ scrolled: true, apart: 0 });
  await expect(gutter.getByText('10000', { exact: true })).toBeAttached();
  // Only the numbers near the lines in view are made.
  expect(await gutter.locator(':scope > div').count()).toBeLessThan(500);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
});

test('thousands of refused lines: twenty listed, the rest counted, the buttons in reach', async ({
  page,
  haul,
  context,
}) => {
  await openWithClipboard(
    page,
    haul,
    context,
    Array.from({ length: 5000 }, (_, i) => `not a link ${i}`),
  );
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add downloads' });
  await dialog.getByRole('textbox', { name: 'Links, one per line' }).focus();
  await page.keyboard.press('ControlOrMeta+V');
  await expect(dialog.getByTestId('add-count')).toHaveText('(no links · 5,000 lines are not a link)');
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  const listed = dialog.getByTestId('line-errors').getByRole('listitem');
  await expect(listed).toHaveCount(21);
  await expect(listed.last()).toHaveText('and 4,980 more lines, marked with ! beside their numbers');
  await expect(dialog.getByRole('button', { name: 'Add', exact: true })).toBeInViewport();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});
