import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, startHaul, test } from './fixtures';
import { goTo, openApp, shoot } from './ui';

test('a damaged database is announced once, in a banner that stays closed after a reload', async ({ page }) => {
  const { server, child, cleanup } = await startHaul((dataDir) =>
    writeFileSync(join(dataDir, 'haul.db'), 'this is not a SQLite database, not even close'),
  );
  try {
    await openApp(page, server);
    const banner = page.getByRole('alert').filter({ hasText: 'The job database was damaged' });
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('moved aside');
    // A fresh instance also shows the empty states.
    await page.setViewportSize({ width: 1280, height: 800 });
    await goTo(page, 'Library');
    await expect(page.getByTestId('library-empty')).toBeVisible();
    await shoot(page, 'notice-and-empty-library');
    await banner.getByRole('button', { name: 'Got it' }).click();
    await expect(banner).toBeHidden();
    await page.reload();
    // Once About shows the version, app.info (which still lists the notice) has been read.
    await page.getByRole('navigation').getByRole('button', { name: 'About' }).click();
    await expect(page.getByTestId('app-version')).toBeVisible();
    await expect(banner).toBeHidden();
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    cleanup();
  }
});
