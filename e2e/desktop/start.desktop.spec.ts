import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { addThroughDialog, goTo, panelItem, row, screenshotDir } from '../ui';
import { expect, test } from './desktop-fixtures';

test('starts: one isolated window with the renderer, the tray, the menu and the haul:// protocol', async ({
  desktop,
}) => {
  const app = await desktop.launch();
  const state = await app.state();

  expect(state.errors).toEqual([]);
  expect(state.appEvents.slice(0, 1)).toEqual(['ready']);
  expect(state.windows).toHaveLength(1);
  const [window] = state.windows;
  expect(window!.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
  expect(window!.webPreferences.preload).toMatch(/out\/preload\/index\.cjs$/);
  expect(window!.options.show).toBe(false); // shown on ready-to-show, not before
  expect(window!).toMatchObject({ visible: true, focused: true, exposed: ['haul'] });
  expect(state.protocolClients.map((c) => c.protocol)).toEqual(['haul']);
  expect(state.tray).toMatchObject({ tooltip: 'Haul: idle', destroyed: false });
  expect(state.tray!.image).toMatch(/resources\/tray\/idle\.png$/);
  expect(state.tray!.menu).toEqual(['Show Haul', 'Add from clipboard', 'Pause all', 'Resume all', 'Quit']);
  expect(state.applicationMenu).toContain('File > Quit');

  // The page sees the bridge's named API only: no Node, no ipcRenderer.
  const globals = await app.page.evaluate(() => ({
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
    bridge: Object.keys((globalThis as { haul?: object }).haul ?? {}).sort(),
  }));
  expect(globals).toEqual({
    require: 'undefined',
    process: 'undefined',
    bridge: ['invoke', 'onJobEvent', 'onShowRequest'],
  });

  await app.page.getByRole('button', { name: 'About' }).click();
  await expect(app.page.getByTestId('app-runtime')).toHaveText('Desktop app');
  await expect(app.page.getByText(desktop.profile.userData)).toBeVisible();
});

test('the window in light and dark, with downloads and a link handed over from outside', async ({ desktop, files }) => {
  const app = await desktop.launch();
  await goTo(app.page, 'Downloads');
  await addThroughDialog(app.page, [files.file('photos.zip', { size: 300_000 })]);
  await addThroughDialog(app.page, [`${files.url}/status/404/report-2026.pdf`]);
  await addThroughDialog(app.page, [
    files.file('ubuntu-24.04.1-desktop-amd64.iso', { size: 60_000_000, rate: 600_000 }),
  ]);
  await expect(panelItem(app.page, 'photos.zip')).toHaveAttribute('data-status', 'completed');
  await expect(panelItem(app.page, 'ubuntu-24.04.1-desktop-amd64.iso')).toHaveAttribute('data-status', 'downloading');
  // The table reads its rows again up to 400 ms after an event: the picture waits for it.
  for (const name of ['photos.zip', 'report-2026.pdf', 'ubuntu-24.04.1-desktop-amd64.iso']) {
    await expect(row(app.page, name)).toBeVisible();
  }
  await shootThemes(app.page, 'desktop-downloads');

  const link = files.file('linked-file.pdf');
  expect((await desktop.secondLaunch([`haul://add?url=${encodeURIComponent(link)}`])).code).toBe(0);
  await expect(app.page.getByRole('dialog', { name: 'Add downloads' }).getByRole('textbox').first()).toHaveValue(link);
  await shootThemes(app.page, 'desktop-add-from-link');
});

/** Screenshots with the OS in light, then dark mode (the theme setting is `system`). */
async function shootThemes(page: Page, name: string) {
  mkdirSync(screenshotDir, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect
      .poll(() => page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches))
      .toBe(scheme === 'dark');
    await page.screenshot({ path: `${screenshotDir}/${name}-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test("our page only: navigation away is stopped, new windows go to the browser, a foreign page's calls are refused", async ({
  desktop,
  files,
}) => {
  const app = await desktop.launch();
  const own = app.page.url();
  const foreign = `${files.url}/status/200/foreign-page`;

  // A link that would take the window elsewhere: will-navigate stops it.
  const stopped = app.page.waitForEvent('requestfailed', (r) => r.url() === foreign);
  await app.page.evaluate((url) => void (window.location.href = url), foreign);
  await stopped;
  expect(app.page.url()).toBe(own);
  await expect(app.page.getByRole('heading', { name: 'Downloads', exact: true })).toBeVisible();

  // window.open: no new Electron window; a web link goes to the system browser.
  await app.page.evaluate((url) => void window.open(url), `${files.url}/status/200/elsewhere`);
  await expect
    .poll(async () => (await app.state()).shell)
    .toContainEqual({ method: 'openExternal', target: `${files.url}/status/200/elsewhere` });
  expect((await app.state()).windows).toHaveLength(1);

  // Pages may not ask for permissions (notifications, camera, ...).
  expect(await app.control('askPermission', { permission: 'notifications' })).toEqual({
    requested: false,
    checked: false,
  });

  // Were the window to show a foreign page, the preload runs there too: main refuses its calls.
  await app.control('loadURL', { url: foreign });
  await expect.poll(() => app.page.url()).toBe(foreign);
  const answer = await app.invoke('jobs.list');
  expect(answer).toEqual({ ok: false, error: { kind: 'forbidden', message: 'This page may not call Haul.' } });
});

test('a data folder Haul cannot use: an error box says why, and the app exits', async ({ desktop }) => {
  const { userData } = desktop.profile;
  // The database's path leads through a file, where no database can be made.
  writeFileSync(join(userData, 'blocker'), 'not a folder');
  rmSync(join(userData, 'haul.db'));
  symlinkSync(join(userData, 'blocker', 'haul.db'), join(userData, 'haul.db'));
  const { code, output } = await desktop.secondLaunch([]);
  expect(code).toBe(1);
  expect(output).toContain(
    `[error box] Haul could not start: Haul cannot use its data folder ${userData}: a file is in its path.`,
  );
});
