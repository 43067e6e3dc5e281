import { expect, startHaul, test } from './fixtures';
import { goTo, openApp } from './ui';

test('the API token is revealed on request; a new one keeps this browser signed in', async ({ page }) => {
  // Its own instance: a new token would sign every other test's helper out.
  const { server, child, cleanup } = await startHaul();
  try {
    const first = decodeURIComponent(/token=([^&]+)/.exec(server.signInUrl)![1]!);
    await openApp(page, server);
    await goTo(page, 'Settings');
    const token = page.getByTestId('api-token');
    await expect(token).not.toContainText(first);
    await token.getByRole('button', { name: 'Reveal' }).click();
    await expect(token.locator('code')).toHaveText(first);

    await token.getByRole('button', { name: 'Regenerate…' }).click();
    await token.getByRole('button', { name: 'Replace it now' }).click();
    await expect(token.locator('code')).not.toHaveText(first);
    const second = (await token.locator('code').textContent())!;
    const old = await fetch(`${server.url}/v1/rpc/app.info`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${first}` },
      body: '{}',
    });
    expect(old.ok).toBe(false);
    expect(await old.json()).toMatchObject({ ok: false });

    // Reloaded without the link: still signed in, with the new token.
    await page.goto(server.url);
    await goTo(page, 'Settings');
    await page.getByTestId('api-token').getByRole('button', { name: 'Reveal' }).click();
    await expect(page.getByTestId('api-token').locator('code')).toHaveText(second);
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    cleanup();
  }
});
