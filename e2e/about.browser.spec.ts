import { mkdirSync } from 'node:fs';
import { expect, test } from './fixtures';

test('the About view shows the running instance, over the HTTP RPC route', async ({ page, haul }) => {
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.goto(haul.signInUrl);
  // The token leaves the address bar once it is stored.
  await expect(page).toHaveURL(`${haul.url}/`);
  await page.getByRole('button', { name: 'About' }).click();
  await expect(page.getByRole('heading', { name: 'About Haul' })).toBeVisible();
  await expect(page.getByTestId('app-runtime')).toHaveText('Headless server');
  await expect(page.getByTestId('app-data-dir')).toHaveText(haul.dataDir);
  await expect(page.getByTestId('app-version')).toHaveText(/^\d+\.\d+\.\d+/);
  await page.screenshot({ path: 'test-results/screenshots/about-light.png' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/screenshots/about-dark.png' });
});

test('without the sign-in link the page says it cannot load, instead of failing silently', async ({
  browser,
  haul,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(haul.url);
  await expect(page.getByRole('alert')).toContainText('Missing API token');
  await context.close();
});
