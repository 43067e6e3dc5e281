import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base } from '@playwright/test';
import { startFileServer, type FileServer } from './file-server';

export interface HaulServer {
  /** The base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** The URL `haul serve` prints: opening it signs the browser in. */
  signInUrl: string;
  dataDir: string;
  downloadDir: string;
}

const root = resolve(import.meta.dirname, '..');

/**
 * Starts the built `haul serve` on a free port with a fresh data folder, as a user would.
 * `prepare` may put files in the data folder first (a damaged database, say).
 */
export async function startHaul(
  prepare?: (dataDir: string) => void,
): Promise<{ server: HaulServer; child: ChildProcess; cleanup(): void }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'haul-e2e-'));
  prepare?.(dataDir);
  const downloadDir = join(dataDir, 'downloads');
  const child = spawn(
    process.execPath,
    [join(root, 'out/main/headless.js'), '--port', '0', '--data-dir', dataDir, '--download-dir', downloadDir],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const signInUrl = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`haul serve did not start:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`haul serve exited with ${code}:\n${output}`));
    });
  });
  const url = new URL(signInUrl).origin;
  return {
    server: { url, signInUrl, dataDir, downloadDir },
    child,
    cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

export const test = base.extend<object, { haul: HaulServer; files: FileServer }>({
  haul: [
    // Playwright reads the fixture list from this destructuring: it must stay an object pattern.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const { server, child, cleanup } = await startHaul();
      await use(server);
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      cleanup();
    },
    { scope: 'worker' },
  ],
  files: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const files = await startFileServer();
      await use(files);
      await files.close();
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
