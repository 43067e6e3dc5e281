/**
 * The Chromium behind every BrowserWindow: Debian's, headless, started on the first
 * window. Its DevTools port is announced so the test process can attach to the same
 * pages (Playwright's connectOverCDP) and drive them as the user.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../chromium';

let context: Promise<BrowserContext> | undefined;
let endpoint: string | undefined;

export function browserContext(profileDir: string): Promise<BrowserContext> {
  context ??= (async () => {
    mkdirSync(profileDir, { recursive: true });
    // Loaded with the first window: a second instance that only hands over its URLs never needs it.
    const { chromium } = await import('playwright-core');
    const launched = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      viewport: null,
      args: [
        ...chromiumArgs,
        // Electron lets file:// pages load their own module scripts; Chromium needs this.
        '--allow-file-access-from-files',
        '--remote-debugging-port=0',
      ],
    });
    const [port, path] = readFileSync(join(profileDir, 'DevToolsActivePort'), 'utf8').split('\n');
    endpoint = `ws://127.0.0.1:${port}${path}`;
    return launched;
  })();
  return context;
}

/** The DevTools endpoint, once the browser runs. */
export function devToolsEndpoint(): string | undefined {
  return endpoint;
}

/** Closes the browser, waiting at most `ms`; the process is about to exit anyway. */
export async function closeBrowser(ms = 1000): Promise<void> {
  if (!context) return;
  const running = await context;
  await Promise.race([running.close(), new Promise((r) => setTimeout(r, ms))]);
}
