import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

const root = resolve(import.meta.dirname, '..');

/** The Electron binary if this machine has one; it is fetched on first `npm start`, not at install. */
function electronBinary(): string | undefined {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();

test('the desktop window opens our page isolated and answers app.info over IPC', async () => {
  test.skip(!binary, 'skipped: no Electron binary');
  const app = await electron.launch({ executablePath: binary, args: [root], cwd: root });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('heading', { name: 'About Haul' })).toBeVisible();
    await expect(window.getByTestId('app-runtime')).toHaveText('Desktop app');
    // Isolation seen from the page: no Node, no ipcRenderer, only the bridge's named API.
    const globals = await window.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      bridge: Object.keys((globalThis as { haul?: object }).haul ?? {}),
    }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', bridge: ['invoke'] });
  } finally {
    await app.close();
  }
});
