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
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', bridge: ['invoke', 'onJobEvent', 'onShowRequest'] });

  await app.page.getByRole('button', { name: 'About' }).click();
  await expect(app.page.getByTestId('app-runtime')).toHaveText('Desktop app');
  await expect(app.page.getByText(desktop.profile.userData)).toBeVisible();
});
