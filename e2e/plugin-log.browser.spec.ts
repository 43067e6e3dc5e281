import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from './fixtures';
import { downloadAll, goTo, libraryRow, openApp, rpc } from './ui';

/** A user plugin whose action logs a line and posts a notification; one file at a time. */
function writeNotifier(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'haul-plugin-')), 'e2e-notifier');
  mkdirSync(dir);
  const manifest = {
    name: 'e2e-notifier',
    version: '0.1.0',
    description: 'Logs and notifies; written by the e2e suite.',
    author: 'Haul e2e',
    permissions: ['notify'],
  };
  writeFileSync(join(dir, 'plugin.json'), JSON.stringify(manifest));
  writeFileSync(
    join(dir, 'main.js'),
    `export function activate(haul) {
      haul.action({
        id: 'announce', label: 'Announce', entity: 'resource', description: 'Tells everyone about a file.',
        async handler({ resource }) {
          haul.log('announcing ' + resource.name);
          await haul.notify('File announced', resource.name + ' is here', 'success');
          return { success: true, message: 'Announced', data: null };
        },
      });
    }`,
  );
  return dir;
}

test('a plugin’s log shows on request, and its notifications on the Plugins view', async ({ page, haul, files }) => {
  const dir = writeNotifier();
  try {
    await openApp(page, haul);
    await downloadAll(
      page,
      [files.file('announce-me.txt'), files.file('announce-too.txt')],
      ['announce-me.txt', 'announce-too.txt'],
    );
    expect(await rpc(haul, 'plugins.install', { path: dir })).toMatchObject({ ok: true });

    // An action that takes one file at a time is offered, but not for two.
    await goTo(page, 'Library');
    await page.getByRole('searchbox', { name: 'Search the library' }).fill('announce-');
    await libraryRow(page, 'announce-me.txt').getByRole('checkbox').check();
    await libraryRow(page, 'announce-too.txt').getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Plugin actions for the selected files' }).click();
    await expect(page.getByRole('menuitem', { name: /Announce/ })).toBeDisabled();
    await expect(page.getByRole('menuitem', { name: /Announce/ })).toContainText('One file at a time');
    await page.keyboard.press('Escape');

    await libraryRow(page, 'announce-me.txt')
      .getByRole('button', { name: 'Plugin actions for announce-me.txt' })
      .click();
    await page.getByRole('menuitem', { name: /Announce/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Announce' });
    await dialog.getByRole('button', { name: 'Run' }).click();
    await expect(dialog.getByTestId('action-result')).toContainText('Announced');
    await dialog.getByRole('button', { name: 'Close' }).click();

    await goTo(page, 'Plugins');
    const notes = page.getByRole('region', { name: 'Recent notifications' });
    await expect(notes).toContainText('File announced');
    await expect(notes).toContainText('announce-me.txt is here');
    await expect(notes).toContainText('e2e-notifier');

    const card = page.getByTestId('plugin-e2e-notifier');
    await card.getByRole('button', { name: 'Log' }).click();
    await expect(card.getByTestId('plugin-log-e2e-notifier')).toContainText('announcing announce-me.txt');
  } finally {
    rmSync(dirname(dir), { recursive: true, force: true });
  }
});
