import { mkdirSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';
import type { HaulServer } from './fixtures';

/** Signs in with the link `haul serve` prints and waits for the downloads list. */
export async function openApp(page: Page, haul: HaulServer, options: { countRenders?: boolean } = {}) {
  if (options.countRenders) {
    await page.addInitScript(() => window.localStorage.setItem('haul.countRenders', '1'));
  }
  await page.goto(haul.signInUrl);
  await expect(page.getByRole('heading', { name: 'Downloads', exact: true })).toBeVisible();
}

/** The table row of a download, found by its file name. */
export const row = (page: Page, name: string): Locator =>
  page.getByRole('grid', { name: 'Downloads' }).getByRole('row').filter({ hasText: name });

/** The job panel's item of a job, found by its name. */
export const panelItem = (page: Page, name: string): Locator =>
  page.getByTestId('job-panel').getByRole('listitem').filter({ hasText: name });

/** Adds links through the Add dialog and waits for it to close. */
export async function addThroughDialog(page: Page, urls: string[], options: { paused?: boolean } = {}) {
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add downloads' });
  await dialog.getByRole('textbox', { name: 'Links, one per line' }).fill(urls.join('\n'));
  if (options.paused) await dialog.getByLabel('Add paused').check();
  await dialog.getByRole('button', { name: /^Add \d* ?downloads?$/ }).click();
  await expect(dialog).toBeHidden();
}

/** The aria-valuenow of a progress bar inside `scope`, as a number. */
export async function progressOf(scope: Locator): Promise<number> {
  return Number((await scope.getByRole('progressbar').getAttribute('aria-valuenow')) ?? -1);
}

/** Drops `data` (type -> text) on `selector` the way a browser does: dragenter, dragover, drop. */
export async function dropData(page: Page, selector: string, data: Record<string, string>) {
  const transfer = await page.evaluateHandle((entries) => {
    const dt = new DataTransfer();
    for (const [type, value] of Object.entries(entries)) dt.setData(type, value);
    return dt;
  }, data);
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await page.dispatchEvent(selector, type, { dataTransfer: transfer });
  }
}

/** Calls a command over the HTTP RPC route, as the page does; for test setup and cleanup. */
export async function rpc(haul: HaulServer, command: string, input: object = {}): Promise<unknown> {
  const token = decodeURIComponent(/token=([^&]+)/.exec(new URL(haul.signInUrl).hash)?.[1] ?? '');
  const response = await fetch(`${haul.url}/v1/rpc/${command}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(input),
  });
  return response.json();
}

/** Opens a section from the sidebar and waits for its heading. */
export async function goTo(
  page: Page,
  view: 'Downloads' | 'Jobs' | 'Library' | 'Plugins' | 'Queues' | 'Settings' | 'About',
) {
  await page.getByRole('navigation').getByRole('button', { name: view }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(view === 'About' ? 'About' : view);
}

/** The library's row of a file, found by its name. */
export const libraryRow = (page: Page, name: string): Locator =>
  page.getByRole('table', { name: 'Library' }).getByRole('row').filter({ hasText: name });

/** Downloads `names` from the file server and waits until every one has completed. */
export async function downloadAll(page: Page, urls: string[], names: string[]) {
  await addThroughDialog(page, urls);
  for (const name of names) await expect(row(page, name)).toHaveAttribute('data-status', 'completed');
}

export const screenshotDir = 'test-results/screenshots';

/** Saves the page in the light and the dark scheme (the theme setting is `system`). */
export async function shoot(page: Page, name: string) {
  mkdirSync(screenshotDir, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${screenshotDir}/${name}-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Scrolls the main area (the page itself never scrolls) to its end. */
export async function scrollToEnd(page: Page) {
  await page.locator('main').evaluate((main) => main.scrollTo(0, main.scrollHeight));
}
