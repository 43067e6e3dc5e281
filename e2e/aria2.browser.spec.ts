import { createServer } from 'node:net';
import { expect, test } from './fixtures';
import { goTo, openApp, row, rpc, shoot } from './ui';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One JSON-RPC call the way aria2 clients make it; the status and the parsed answer, or null when refused. */
async function aria2(port: number, method: string, params: unknown[]) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/jsonrpc`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 'e2e', method, params }),
    });
    return { status: response.status, body: (await response.json()) as { result?: unknown; error?: unknown } };
  } catch {
    return null;
  }
}

test.afterEach(async ({ haul }) => {
  await rpc(haul, 'settings.update', { aria2Enabled: false });
});

test('the aria2 RPC is switched on in Settings, its secret shown there, and its downloads are Haul jobs', async ({
  page,
  haul,
  files,
}) => {
  const port = await freePort();
  await openApp(page, haul);
  await goTo(page, 'Settings');
  const group = page.getByTestId('settings-aria2');
  const secretBox = group.getByRole('textbox', { name: 'RPC secret' });
  const secret = await secretBox.inputValue();
  expect(secret).toMatch(/^[0-9a-f]{32}$/);
  expect(await aria2(port, 'aria2.getVersion', [`token:${secret}`])).toBeNull();

  await group.getByRole('switch', { name: 'aria2-compatible RPC' }).check();
  await group.getByRole('spinbutton', { name: 'RPC port' }).fill(String(port));
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  await group.scrollIntoViewIfNeeded();
  await shoot(page, 'settings-aria2');

  // An aria2 client adds a download; it is an ordinary job in the list.
  await expect.poll(async () => (await aria2(port, 'aria2.getVersion', [`token:${secret}`]))?.status).toBe(200);
  const added = await aria2(port, 'aria2.addUri', [
    `token:${secret}`,
    [files.file('from-aria2.bin', { size: 200_000 })],
    { out: 'from-aria2.bin' },
  ]);
  expect(added?.body.result).toMatch(/^[0-9a-f]{16}$/);
  await goTo(page, 'Downloads');
  await expect(row(page, 'from-aria2.bin')).toHaveAttribute('data-status', 'completed');
  const status = await aria2(port, 'aria2.tellStatus', [`token:${secret}`, added!.body.result, ['status']]);
  expect(status?.body.result).toEqual({ status: 'complete' });

  // A new secret typed in Settings applies at once; the old one is refused.
  await goTo(page, 'Settings');
  await secretBox.fill('typed-by-hand');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('All changes saved.')).toBeVisible();
  expect((await aria2(port, 'aria2.getVersion', [`token:${secret}`]))?.body.error).toEqual({
    code: 1,
    message: 'Unauthorized',
  });
  expect((await aria2(port, 'aria2.getVersion', ['token:typed-by-hand']))?.status).toBe(200);

  // Switched off: nothing listens any more.
  await group.getByRole('switch', { name: 'aria2-compatible RPC' }).uncheck();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('All changes saved.')).toBeVisible();
  await expect.poll(async () => aria2(port, 'aria2.getVersion', ['token:typed-by-hand'])).toBeNull();
});
