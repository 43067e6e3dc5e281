import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

const root = resolve(import.meta.dirname, '..');

/** The Electron binary if this machine has one; it is fetched on first `npm start`, not at install. */
function electronBinary(): string | undefined {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();

/** 4 MiB, sent slowly enough that progress is visible in the tray. */
function slowFileServer(): Promise<Server> {
  const body = Buffer.alloc(4 * 1024 * 1024, 7);
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Length': body.length, 'Content-Type': 'application/octet-stream' });
    let offset = 0;
    const timer = setInterval(() => {
      if (offset >= body.length) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write(body.subarray(offset, offset + 256 * 1024));
      offset += 256 * 1024;
    }, 100);
    res.on('close', () => clearInterval(timer));
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

test('the desktop app: isolated window, a download over IPC, progress in the tray', async () => {
  test.skip(!binary, 'skipped: no Electron binary');
  const userData = mkdtempSync(join(tmpdir(), 'haul-electron-'));
  const server = await slowFileServer();
  const app = await electron.launch({
    executablePath: binary,
    args: [root, `--user-data-dir=${userData}`],
    cwd: root,
    env: { ...process.env, HAUL_E2E: '1' },
  });
  try {
    const window = await app.firstWindow();
    await window.getByRole('button', { name: 'About' }).click();
    await expect(window.getByTestId('app-runtime')).toHaveText('Desktop app');

    // Isolation seen from the page: no Node, no ipcRenderer, only the bridge's named API.
    const globals = await window.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      bridge: Object.keys((globalThis as { haul?: object }).haul ?? {}).sort(),
    }));
    expect(globals).toEqual({
      require: 'undefined',
      process: 'undefined',
      bridge: ['invoke', 'onJobEvent', 'onShowRequest'],
    });

    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/file.bin`;
    const submitted = await window.evaluate(
      (u) =>
        (globalThis as unknown as { haul: { invoke(c: string, i: unknown): Promise<unknown> } }).haul.invoke(
          'downloads.submit',
          {
            url: u,
          },
        ),
      url,
    );
    expect(submitted).toMatchObject({ ok: true });
    await expect
      .poll(() => app.evaluate(() => (globalThis as { haulTrayState?: { tooltip: string } }).haulTrayState?.tooltip))
      .toMatch(/1 downloading · \d+%/);
    await expect
      .poll(
        async () => {
          const list = (await window.evaluate(() =>
            (globalThis as unknown as { haul: { invoke(c: string, i: unknown): Promise<unknown> } }).haul.invoke(
              'jobs.list',
              {},
            ),
          )) as { value: { jobs: { status: string }[] } };
          return list.value.jobs[0]?.status;
        },
        { timeout: 30_000 },
      )
      .toBe('completed');
  } finally {
    await app.close();
    server.close();
    rmSync(userData, { recursive: true, force: true });
  }
});
