import { expect, test } from './desktop-fixtures';
import type { DesktopApp } from './harness';
import type { Page } from '@playwright/test';

const addDialog = (page: Page) => page.getByRole('dialog', { name: 'Add downloads' });
const linksBox = (page: Page) => addDialog(page).getByRole('textbox', { name: 'Links, one per line' });

async function jobUrls(app: DesktopApp): Promise<string[]> {
  const list = await app.invoke<{ value: { jobs: { url: string }[] } }>('jobs.list');
  return list.value.jobs.map((j) => j.url).sort();
}

/** Turns a desktop setting on in the Settings view, as the user does. */
async function turnOn(page: Page, label: RegExp) {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('switch', { name: label }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  await page.getByRole('button', { name: 'Downloads', exact: true }).click();
}

test('links from outside reach the running instance and open Add prefilled; nothing starts unasked', async ({
  desktop,
  files,
}) => {
  const app = await desktop.launch();
  const first = files.file('from-link.bin', { size: 50_000 });

  await test.step('a clicked haul://add link: a second launch hands it over and exits', async () => {
    const second = await desktop.secondLaunch([`haul://add?url=${encodeURIComponent(first)}`]);
    expect(second.code).toBe(0);
    await expect(linksBox(app.page)).toHaveValue(first);
    expect((await app.state()).appEvents).toContain('second-instance');
    expect(await jobUrls(app)).toEqual([]);
    await addDialog(app.page).getByRole('button', { name: 'Add download' }).click();
    await expect(addDialog(app.page)).toBeHidden();
    await expect.poll(() => jobUrls(app)).toEqual([first]);
  });

  await test.step('`haul <url>` while Haul runs: the same, the user may cancel', async () => {
    const url = files.file('from-argv.bin');
    expect((await desktop.secondLaunch(['--some-flag', url])).code).toBe(0);
    await expect(linksBox(app.page)).toHaveValue(url);
    await addDialog(app.page).getByRole('button', { name: 'Cancel' }).click();
    expect(await jobUrls(app)).toEqual([first]);
  });

  await test.step('macOS open-url events go the same way', async () => {
    const url = files.file('from-open-url.bin');
    const prevented = await app.control<boolean>('openUrl', { url: `haul://add?url=${encodeURIComponent(url)}` });
    expect(prevented).toBe(true);
    await expect(linksBox(app.page)).toHaveValue(url);
    await addDialog(app.page).getByRole('button', { name: 'Cancel' }).click();
  });

  await test.step('clipboard watching offers a copied link once; the offer opens Add', async () => {
    await turnOn(app.page, /Watch the clipboard/);
    const url = files.file('from-clipboard.bin');
    const offers = async () =>
      (await app.state()).notifications.filter((n) => n.title === 'Download this link?').map((n) => n.body);
    await app.control('writeClipboard', { text: url });
    await expect.poll(offers, { timeout: 8000 }).toEqual([url]);
    // Copied again after something else: not offered a second time.
    await app.control('writeClipboard', { text: 'just some words' });
    await app.control('writeClipboard', { text: url });
    const other = files.file('from-clipboard-2.bin');
    await app.control('writeClipboard', { text: other });
    await expect.poll(offers, { timeout: 8000 }).toEqual([url, other]);
    const offer = (await app.state()).notifications.find((n) => n.body === url)!;
    await app.control('clickNotification', { id: offer.id });
    await expect(linksBox(app.page)).toHaveValue(url);
    await addDialog(app.page).getByRole('button', { name: 'Cancel' }).click();
    expect(await jobUrls(app)).toEqual([first]);
  });

  await test.step('with "start links from outside at once" on, a link starts without the dialog', async () => {
    await turnOn(app.page, /Start links from outside at once/);
    const url = files.file('started-at-once.bin', { size: 50_000 });
    expect((await desktop.secondLaunch([`haul://add?url=${encodeURIComponent(url)}`])).code).toBe(0);
    await expect.poll(() => jobUrls(app)).toEqual([first, url].sort());
    await expect(addDialog(app.page)).toBeHidden();
  });
});
