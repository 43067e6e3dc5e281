import type { ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, expect, test, type BrowserContext, type Download, type Page } from '@playwright/test';
import type { DownloadJob } from '../src-common/contract';
import { chromiumArgs, chromiumPath } from './chromium';
import { sessionCookie, startTestSite, strictCookie, type TestSite } from './extension-site';
import { startHaul, type HaulServer } from './fixtures';

/**
 * The browser extension, built into extension/dist, loaded in Debian's Chromium against a
 * real `haul serve`: pairing, capture with cookies and referrer, the rules that leave a
 * download to the browser, the popup's live list, and the fallback when Haul is gone.
 */
const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'extension', 'dist');
const shots = join(root, 'test-results', 'screenshots');

test.describe.configure({ mode: 'serial', timeout: 60_000 });

let haul: { server: HaulServer; child: ChildProcess; cleanup(): void; running: boolean };
let site: TestSite;
let context: BrowserContext;
let extensionId: string;
let token: string;
const temp: string[] = [];

/** The one extension API the test reads from an extension page (e2e has no chrome types). */
interface BadgeApi {
  chrome: { action: { getBadgeText(details: object): Promise<string> } };
}

/**
 * The built extension as a user has it after allowing cookie access: the optional
 * permissions granted. Chromium asks for them in a dialog a headless test cannot answer.
 */
function grantedCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'haul-extension-'));
  temp.push(dir);
  cpSync(dist, dir, { recursive: true });
  const file = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string[] | undefined>;
  manifest.permissions = [...(manifest.permissions ?? []), ...(manifest.optional_permissions ?? [])];
  manifest.host_permissions = [...(manifest.host_permissions ?? []), ...(manifest.optional_host_permissions ?? [])];
  delete manifest.optional_permissions;
  delete manifest.optional_host_permissions;
  writeFileSync(file, JSON.stringify(manifest));
  return dir;
}

async function rpc<T>(command: string, input: unknown = {}): Promise<T> {
  const response = await fetch(`${haul.server.url}/v1/rpc/${command}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const envelope = (await response.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!envelope.ok) throw new Error(`${command}: ${envelope.error?.message}`);
  return envelope.value;
}

async function jobOf(path: string): Promise<DownloadJob | undefined> {
  const { jobs } = await rpc<{ jobs: DownloadJob[] }>('jobs.snapshot');
  return jobs.find((job) => job.url === `${site.url}${path}`);
}

async function statusOf(path: string): Promise<string | undefined> {
  return (await jobOf(path))?.status;
}

async function extensionPage(name: 'options' | 'popup'): Promise<Page> {
  const page = await context.newPage();
  if (name === 'popup') await page.setViewportSize({ width: 400, height: 420 });
  await page.goto(`chrome-extension://${extensionId}/${name}.html`);
  return page;
}

/**
 * The browser's copy of a captured download is gone: cancelled while running, or, when
 * a small file had already finished, its file deleted.
 */
async function browserCopyDropped(download: Download): Promise<boolean> {
  if ((await download.failure()) === 'canceled') return true;
  const path = await download.path().catch(() => null);
  return path === null || !existsSync(path);
}

/** Clicks a link on the test page and returns the browser's download of it. */
async function clickLink(page: Page, id: string, modifiers: 'Alt'[] = []): Promise<Download> {
  const download = page.waitForEvent('download');
  await page.click(`#${id}`, { modifiers });
  return download;
}

test.beforeAll(async () => {
  const started = await startHaul();
  haul = { ...started, running: true };
  token = new URLSearchParams(new URL(haul.server.signInUrl).hash.slice(1)).get('token')!;
  site = await startTestSite();
  const extension = grantedCopy();
  const userDataDir = mkdtempSync(join(tmpdir(), 'haul-chromium-'));
  temp.push(userDataDir);
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    acceptDownloads: true,
    args: [`--disable-extensions-except=${extension}`, `--load-extension=${extension}`, ...chromiumArgs],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  extensionId = new URL(worker.url()).host;
  mkdirSync(shots, { recursive: true });
});

test.afterAll(async () => {
  await context?.close();
  await site?.close();
  if (haul?.running) {
    const exited = new Promise((r) => haul.child.once('exit', r));
    haul.child.kill('SIGTERM');
    await exited;
  }
  haul?.cleanup();
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

test('an unpaired extension is refused; pairing with the code from Haul’s Settings allows its origin only', async () => {
  const options = await extensionPage('options');
  // A POST, as every call that changes something is: Chromium sends an extension's origin
  // with those (a GET to a host the extension may reach goes without one, like curl's).
  const askHaul = () =>
    options.evaluate(
      async ([url, bearer]) =>
        (
          await fetch(`${url}/v1/rpc/downloads.submit`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ url: 'http://127.0.0.1:9/never', paused: true }),
          })
        ).status,
      [haul.server.url, token] as const,
    );
  // The right token from an origin Haul has not paired with is not enough.
  expect(await askHaul()).toBe(403);
  await expect(options.locator('#pair-status')).toHaveText('Not paired.');

  // The code comes from Haul's Settings, as a user would copy it.
  const app = await context.newPage();
  await app.goto(haul.server.signInUrl);
  await app.getByRole('button', { name: 'Settings' }).click();
  const pairing = app.getByTestId('pair-browser');
  await expect(pairing).toContainText('No browser is paired yet.');
  await pairing.getByRole('button', { name: 'Show pairing code' }).click();
  // The code shows once Haul has answered; it is the address with the token.
  await expect(pairing.getByTestId('pairing-code')).toHaveText(haul.server.signInUrl);
  const code = (await pairing.getByTestId('pairing-code').textContent())!;

  await options.fill('#pair-code', code);
  await options.click('#pair');
  await expect(options.locator('#pair-status')).toContainText(`Paired with Haul`);
  await expect(options.locator('#haul-url')).toHaveValue(haul.server.url);
  const settings = await rpc<{ allowedOrigins: string[] }>('settings.get');
  expect(settings.allowedOrigins).toEqual([`chrome-extension://${extensionId}`]);
  expect(await askHaul()).toBe(200);
  await app.reload();
  await app.getByRole('button', { name: 'Settings' }).click();
  await expect(app.getByTestId('pair-browser')).toContainText(`Paired: chrome-extension://${extensionId}`);
  await app.getByTestId('pair-browser').screenshot({ path: join(shots, 'extension-pair-browser.png') });
  await app.close();
  // That probe job is not part of what follows.
  const probe = (await rpc<{ jobs: DownloadJob[] }>('jobs.snapshot')).jobs[0]!;
  await rpc('jobs.cancel', { id: probe.id });
  await rpc('jobs.remove', { id: probe.id });

  // The rules used below: text files stay in the browser.
  await options.fill('#skip-types', '.txt');
  await options.getByRole('button', { name: 'Save' }).click();
  await expect(options.locator('#save-status')).toHaveText('Saved.');
  await expect(options.locator('#cookie-permission')).toHaveText('Cookie access is granted.');
  await options.screenshot({ path: join(shots, 'extension-options.png'), fullPage: true });
  await options.close();
});

test('a clicked link becomes a completed Haul job with the right bytes, referrer and user agent', async () => {
  const page = await context.newPage();
  await page.goto(`${site.url}/`);
  const download = await clickLink(page, 'plain');
  await expect.poll(() => statusOf('/files/plain.bin'), { timeout: 20_000 }).toBe('completed');
  // The browser's own copy was stopped and dropped.
  await expect.poll(() => browserCopyDropped(download)).toBe(true);
  const job = (await jobOf('/files/plain.bin'))!;
  expect(readFileSync(join(job.dir, job.fileName!))).toEqual(site.bytes('plain.bin'));
  // The browser's request and Haul's: both with the page as referrer and the browser's user agent.
  const requests = site.requests('/files/plain.bin').filter((r) => r.userAgent !== undefined);
  expect(requests.length).toBeGreaterThanOrEqual(2);
  const browserAgent = await page.evaluate(() => navigator.userAgent);
  for (const request of requests) {
    expect(request.referer).toBe(`${site.url}/`);
    expect(request.userAgent).toBe(browserAgent);
  }
  await page.close();
});

test('a file behind a login arrives in Haul with the page’s cookies', async () => {
  const page = await context.newPage();
  await page.goto(`${site.url}/`);
  const download = await clickLink(page, 'report');
  await expect.poll(() => statusOf('/private/report.bin'), { timeout: 20_000 }).toBe('completed');
  await expect.poll(() => browserCopyDropped(download)).toBe(true);
  const job = (await jobOf('/private/report.bin'))!;
  // The site answers 403 without the session cookie: these bytes prove Haul sent it.
  expect(readFileSync(join(job.dir, job.fileName!))).toEqual(site.bytes('report.bin'));
  await page.close();
});

/** The cookies of one request, one by one. */
function cookiesOf(request: { cookie?: string }): string[] {
  return (request.cookie ?? '').split('; ').filter(Boolean);
}

test('a link from another site’s page goes to Haul without the SameSite=Strict cookie, as the browser sends it', async () => {
  const page = await context.newPage();
  await page.goto(`${site.url}/`);
  // Haul's request for a link on the site's own page carries both of its cookies.
  const sameSite = site.requests('/files/plain.bin').filter((r) => !r.fromBrowser);
  expect(sameSite.length).toBeGreaterThanOrEqual(1);
  for (const request of sameSite)
    expect(cookiesOf(request)).toEqual(expect.arrayContaining([sessionCookie, strictCookie]));

  // Another site links to the same server's file: the browser leaves out the Strict cookie, so does Haul.
  await page.goto(`${site.otherSiteUrl}/elsewhere`);
  const download = await clickLink(page, 'cross');
  await expect.poll(() => statusOf('/files/cross.bin'), { timeout: 20_000 }).toBe('completed');
  await expect.poll(() => browserCopyDropped(download)).toBe(true);
  const requests = site.requests('/files/cross.bin');
  expect(requests.filter((r) => r.fromBrowser).length).toBeGreaterThanOrEqual(1);
  expect(requests.filter((r) => !r.fromBrowser).length).toBeGreaterThanOrEqual(1);
  for (const request of requests) {
    expect(cookiesOf(request)).toContain(sessionCookie);
    expect(cookiesOf(request)).not.toContain(strictCookie);
  }
  await page.close();
});

test('Alt-click and an excluded type are downloaded by the browser, not by Haul', async () => {
  const page = await context.newPage();
  await page.goto(`${site.url}/`);
  for (const [id, name, modifiers] of [
    ['alt', 'alt.bin', ['Alt']],
    ['excluded', 'notes.txt', []],
  ] as const) {
    const download = await clickLink(page, id, [...modifiers]);
    expect(await download.failure()).toBeNull();
    expect(readFileSync(await download.path())).toEqual(site.bytes(name));
    expect(await jobOf(`/files/${name}`)).toBeUndefined();
  }
  await page.close();
});

test('a page cannot fake an Alt-click to keep a link from Haul', async () => {
  const page = await context.newPage();
  await page.goto(`${site.url}/`);
  // The page's own script sends an Alt-press on the link, as a user's would look.
  await page.evaluate(() => {
    const link = document.getElementById('faked-alt')!;
    link.dispatchEvent(new MouseEvent('mousedown', { altKey: true, button: 0, bubbles: true }));
  });
  const download = await clickLink(page, 'faked-alt');
  await expect.poll(() => statusOf('/files/faked-alt.bin'), { timeout: 20_000 }).toBe('completed');
  await expect.poll(() => browserCopyDropped(download)).toBe(true);
  await page.close();
});

test('the popup shows Haul’s downloads live and pauses, resumes and cancels them', async () => {
  const page = await context.newPage();
  await page.goto(`${site.url}/`);
  const popup = await extensionPage('popup');
  await expect(popup.locator('#stream-status')).toHaveText('Live');
  // Finished jobs from before are listed.
  await expect(popup.locator('li.job', { hasText: 'plain.bin' })).toContainText('Completed');

  await clickLink(page, 'gated-cancel');
  await expect.poll(() => statusOf('/files/gated-cancel.bin'), { timeout: 20_000 }).toBe('downloading');
  const cancelled = (await jobOf('/files/gated-cancel.bin'))!;
  const cancelRow = popup.locator(`li[data-job-id="${cancelled.id}"]`);
  await cancelRow.getByRole('button', { name: 'Cancel' }).click();
  await expect.poll(() => statusOf('/files/gated-cancel.bin')).toBe('cancelled');
  await expect(cancelRow).toContainText('Cancelled');

  await clickLink(page, 'gated-pause');
  await expect.poll(() => statusOf('/files/gated-pause.bin'), { timeout: 20_000 }).toBe('downloading');
  const paused = (await jobOf('/files/gated-pause.bin'))!;
  const row = popup.locator(`li[data-job-id="${paused.id}"]`);
  await expect(row).toContainText('Downloading');
  await row.getByRole('button', { name: 'Pause' }).click();
  await expect.poll(() => statusOf('/files/gated-pause.bin')).toBe('paused');
  await expect(row).toContainText('Paused');

  // A failure says why and can be retried from the popup. Sent to Haul without the
  // page's cookie, the protected file is refused.
  const refusedPath = '/private/refused.bin';
  const [refused] = (await rpc<{ jobs: DownloadJob[] }>('downloads.submit', { url: `${site.url}${refusedPath}` })).jobs;
  const refusedRow = popup.locator(`li[data-job-id="${refused!.id}"]`);
  // Named as the UI names it before the server gave a name: the URL's last part.
  await expect(refusedRow.locator('.job-name')).toHaveText('refused.bin');
  await expect(refusedRow).toContainText('Failed · The server answered 403');
  await popup.screenshot({ path: join(shots, 'extension-popup.png') });
  const asked = site.requests(refusedPath).length;
  await refusedRow.getByRole('button', { name: 'Retry' }).click();
  await expect.poll(() => site.requests(refusedPath).length).toBeGreaterThan(asked);

  // Clicked again while Haul holds it: no second copy in the browser, no second job.
  const again = await clickLink(page, 'gated-pause');
  await expect.poll(() => browserCopyDropped(again)).toBe(true);
  const { jobs } = await rpc<{ jobs: DownloadJob[] }>('jobs.snapshot');
  expect(jobs.filter((j) => j.url === `${site.url}/files/gated-pause.bin`)).toHaveLength(1);

  site.openGate();
  await row.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(() => statusOf('/files/gated-pause.bin'), { timeout: 20_000 }).toBe('completed');
  await expect(row).toContainText('Completed');
  const job = (await jobOf('/files/gated-pause.bin'))!;
  expect(readFileSync(join(job.dir, job.fileName!))).toEqual(site.bytes('gated-pause.bin'));
  await popup.close();
  await page.close();
});

test('with Haul stopped the browser downloads the file itself and the badge says why', async () => {
  const exited = new Promise((r) => haul.child.once('exit', r));
  haul.child.kill('SIGTERM');
  await exited;
  haul.running = false;

  const page = await context.newPage();
  await page.goto(`${site.url}/`);
  const download = await clickLink(page, 'offline');
  expect(await download.failure()).toBeNull();
  expect(readFileSync(await download.path())).toEqual(site.bytes('offline.bin'));

  const popup = await extensionPage('popup');
  const badge = () => popup.evaluate(() => (globalThis as unknown as BadgeApi).chrome.action.getBadgeText({}));
  await expect.poll(badge).toBe('off');
  await expect(popup.locator('#last-status')).toContainText('Haul is not running');
  await expect(popup.locator('#stream-status')).toHaveText('Haul offline');
  await popup.screenshot({ path: join(shots, 'extension-popup-offline.png') });
  await popup.close();
  await page.close();
});
