import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileBytes } from './file-server';
import { expect, test } from './fixtures';
import { downloadAll, goTo, libraryRow, openApp, panelItem, shoot } from './ui';

test('the bundled checksum action runs from the library as a plugin job and shows the digest', async ({
  page,
  haul,
  files,
}) => {
  const size = 2_000_000;
  const expected = createHash('sha256').update(fileBytes(size)).digest('hex');
  await openApp(page, haul);
  await downloadAll(page, [files.file('checksum-me.iso', { size })], ['checksum-me.iso']);
  await goTo(page, 'Library');
  await libraryRow(page, 'checksum-me.iso').getByRole('button', { name: 'Plugin actions for checksum-me.iso' }).click();
  await page.getByRole('menuitem', { name: /Compute checksum/ }).click();

  const dialog = page.getByRole('dialog', { name: 'Compute checksum' });
  await expect(dialog.getByRole('combobox', { name: 'Algorithm' })).toHaveValue('sha256');
  await dialog.getByRole('button', { name: 'Run' }).click();
  const result = dialog.getByTestId('action-result');
  await expect(result).toContainText(expected);
  await expect(result).toContainText('Done');
  // It ran as a plugin job: the job panel has it too.
  await expect(panelItem(page, 'Compute checksum').first()).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();

  // A wrong published value fails with the plugin's message.
  await libraryRow(page, 'checksum-me.iso').getByRole('button', { name: 'Plugin actions for checksum-me.iso' }).click();
  await page.getByRole('menuitem', { name: /Compute checksum/ }).click();
  await dialog.getByRole('textbox', { name: 'Compare with' }).fill('0'.repeat(64));
  await dialog.getByRole('button', { name: 'Run' }).click();
  await expect(dialog.getByTestId('action-result')).toContainText('does not match');
});

/** A small user plugin written for this test: a setting, and a sync action with a param and a question. */
function writeGreeter(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'haul-plugin-')), 'e2e-greeter');
  mkdirSync(dir);
  const manifest = {
    name: 'e2e-greeter',
    version: '1.2.0',
    description: 'Greets library files; written by the e2e suite.',
    author: 'Haul e2e',
    permissions: ['storage', 'notify'],
    settings: [
      { key: 'greeting', label: 'Greeting', type: 'string', default: 'Hello' },
      { key: 'loud', label: 'Shout', type: 'boolean', default: false },
    ],
  };
  writeFileSync(join(dir, 'plugin.json'), JSON.stringify(manifest));
  writeFileSync(
    join(dir, 'main.js'),
    `export function activate(haul) {
      haul.action({
        id: 'greet', label: 'Greet', entity: 'resource', description: 'Says hello to a file.',
        confirm: 'Greet this file?',
        params: [{ name: 'who', label: 'Who', type: 'text', required: true }],
        handler({ params, resource }) {
          return { success: true, message: 'Hello ' + params.who, data: { file: resource.name } };
        },
      });
    }`,
  );
  return dir;
}

test('install a plugin from a folder, change its settings, run its action, disable it', async ({
  page,
  haul,
  files,
}) => {
  const dir = writeGreeter();
  await openApp(page, haul);
  await downloadAll(page, [files.file('greet-me.txt')], ['greet-me.txt']);
  await goTo(page, 'Plugins');
  await expect(page.getByTestId('plugin-checksum')).toContainText('Comes with Haul');

  await page.getByRole('button', { name: 'Install…' }).click();
  const install = page.getByRole('dialog', { name: 'Install a plugin' });
  await install.getByRole('textbox', { name: 'Plugin folder or .zip file' }).fill(join(dir, 'nope'));
  await install.getByRole('button', { name: 'Install' }).click();
  await expect(install.getByRole('alert')).toContainText('Not installed:');
  await install.getByRole('textbox', { name: 'Plugin folder or .zip file' }).fill(dir);
  await install.getByRole('button', { name: 'Install' }).click();
  await expect(install).toBeHidden();

  // The same name again: the dialog says what it replaces before it does.
  await page.getByRole('button', { name: 'Install…' }).click();
  await install.getByRole('textbox', { name: 'Plugin folder or .zip file' }).fill(dir);
  await install.getByRole('button', { name: 'Install' }).click();
  await expect(install.getByRole('alert')).toContainText(
    "e2e-greeter 1.2.0 by Haul e2e is installed (storage, notify). This one is 1.2.0 by Haul e2e (storage, notify). Replacing it gives it e2e-greeter's settings and stored data.",
  );
  await shoot(page, 'plugins-replace');
  await install.getByRole('button', { name: 'Replace' }).click();
  await expect(install).toBeHidden();

  const card = page.getByTestId('plugin-e2e-greeter');
  await expect(card).toContainText('1.2.0');
  await expect(card.getByLabel('Permissions')).toContainText('Storage');
  await expect(card.getByLabel('Permissions')).toContainText('Notifications');
  await expect(card.getByText('Active')).toBeVisible();

  await card.getByRole('button', { name: 'Settings' }).click();
  await card.getByRole('textbox', { name: 'Greeting' }).fill('Howdy');
  await card.getByRole('checkbox', { name: 'Shout' }).check();
  await card.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'e2e-greeter settings saved.' })).toBeVisible();
  await page.reload();
  await goTo(page, 'Plugins');
  await page.getByTestId('plugin-e2e-greeter').getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId('plugin-e2e-greeter').getByRole('textbox', { name: 'Greeting' })).toHaveValue('Howdy');

  // Its action, from the library: a required param, the plugin's question, then the answer.
  await goTo(page, 'Library');
  await libraryRow(page, 'greet-me.txt').getByRole('button', { name: 'Plugin actions for greet-me.txt' }).click();
  await page.getByRole('menuitem', { name: /Greet/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Greet' });
  await expect(dialog.getByRole('note')).toHaveText('Greet this file?');
  await dialog.getByRole('button', { name: 'Yes, greet' }).click();
  await expect(dialog.getByText('Required.')).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Who' }).fill('world');
  await dialog.getByRole('button', { name: 'Yes, greet' }).click();
  await expect(dialog.getByTestId('action-result')).toContainText('Hello world');
  await expect(dialog.getByTestId('action-result')).toContainText('greet-me.txt');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Disabled, it stops offering its action.
  await goTo(page, 'Plugins');
  await page.getByRole('switch', { name: 'Enable e2e-greeter' }).uncheck();
  await expect(page.getByTestId('plugin-e2e-greeter').getByText('Disabled')).toBeVisible();
  await goTo(page, 'Library');
  await libraryRow(page, 'greet-me.txt').getByRole('button', { name: 'Plugin actions for greet-me.txt' }).click();
  await expect(page.getByRole('menu')).toBeVisible();
  await expect(page.getByRole('menuitem', { name: /Greet/ })).toHaveCount(0);
  rmSync(dirname(dir), { recursive: true, force: true });
});
