import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { selfSignedCertificate } from '../src-main/test/self-signed';
import { expect, test } from './fixtures';
import { goTo, openApp, row, rpc, shoot } from './ui';

/** A home-lab server: HTTPS with a self-signed certificate, on 127.0.0.1. */
let nas: Server;
let fingerprint = '';
const content = Buffer.from('backup from the NAS\n'.repeat(500));

test.beforeAll(async () => {
  const { fingerprint: made, ...tls } = selfSignedCertificate('/CN=nas.home/O=Home lab');
  fingerprint = made;
  nas = createServer(tls, (_req, res) => res.end(content));
  await new Promise<void>((resolve) => nas.listen(0, '127.0.0.1', resolve));
});
test.afterAll(async () => {
  await new Promise((resolve) => nas.close(resolve));
});

test('a self-signed certificate: the failed job shows it, trusting it for its host (confirmed) completes the retry', async ({
  page,
  haul,
}) => {
  const host = `127.0.0.1:${(nas.address() as AddressInfo).port}`;
  await openApp(page, haul);
  await rpc(haul, 'downloads.submit', { url: `https://${host}/backup.tar` });
  await expect(row(page, 'backup.tar')).toHaveAttribute('data-status', 'failed');
  await row(page, 'backup.tar').dblclick();
  const details = page.getByRole('complementary', { name: /Details of/ });
  const box = details.getByTestId('untrusted-certificate');
  await expect(details).toContainText('is self-signed');
  await expect(box).toContainText(fingerprint);
  await expect(box).toContainText('nas.home / Home lab');
  await shoot(page, 'certificate-failed');

  await box.getByRole('button', { name: `Trust this certificate for ${host}` }).click();
  const dialog = page.getByRole('dialog', { name: `Trust this certificate for ${host}?` });
  await expect(dialog).toContainText(fingerprint);
  await shoot(page, 'certificate-confirm');
  await dialog.getByRole('button', { name: 'Trust and try again' }).click();
  await expect(dialog).toBeHidden();
  await expect(row(page, 'backup.tar')).toHaveAttribute('data-status', 'completed');
  expect(readFileSync(join(haul.downloadDir, 'backup.tar')).equals(content)).toBe(true);

  // Settings lists the trust; removing it there makes the next download fail again.
  await page.getByRole('button', { name: 'Close details' }).click();
  await goTo(page, 'Settings');
  const list = page.getByTestId('settings-certificates');
  await expect(list).toContainText(host);
  await expect(list).toContainText(fingerprint);
  await list.scrollIntoViewIfNeeded();
  await shoot(page, 'certificate-settings');
  await list.getByRole('button', { name: `Remove the certificate trusted for ${host}` }).click();
  await expect(list).toContainText('None.');
  const after = (await rpc(haul, 'settings.get')) as { value: { trustedCertificates: Record<string, string> } };
  expect(after.value.trustedCertificates).toEqual({});
});
