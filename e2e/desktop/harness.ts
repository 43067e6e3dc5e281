/**
 * Launches the built desktop app (`out/main/index.js`, unchanged) under Node with the
 * Electron stand-in, and attaches to its window's page the way a user sees it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, expect, type Browser, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { startHaul } from '../fixtures';
import { rpc } from '../ui';
import type { NotificationRecord, recorded, TrayRecord } from './electron-standin/record';

const root = resolve(import.meta.dirname, '../..');
const register = join(root, 'e2e/desktop/electron-standin/register.mjs');

/** A user's home and Haul's user-data folder, fresh for a test. */
export interface Profile {
  home: string;
  userData: string;
  downloads: string;
  remove(): void;
}

let standIn: Promise<string> | undefined;

/** The stand-in as one ES module, built once per test run: the app starts without a TS compiler. */
function standInModule(): Promise<string> {
  standIn ??= (async () => {
    mkdirSync(join(root, 'test-results'), { recursive: true });
    // Inside the project, so the bundle resolves playwright-core from node_modules.
    const dir = mkdtempSync(join(root, 'test-results', 'electron-standin-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const source = join(root, 'e2e/desktop/electron-standin');
    await build({
      entryPoints: [join(source, 'electron.ts')],
      outfile: join(dir, 'electron.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['playwright-core'],
      logLevel: 'error',
    });
    copyFileSync(join(source, 'page-bridge.js'), join(dir, 'page-bridge.js'));
    return join(dir, 'electron.mjs');
  })();
  return standIn;
}

let template: Promise<string> | undefined;

/**
 * A database whose settings turn the desktop app's local API off, made once through
 * `haul serve`'s own API: the API's default port is a fixed one, and tests bind port 0 only.
 */
function templateDatabase(): Promise<string> {
  template ??= (async () => {
    const { server, child, cleanup } = await startHaul();
    process.once('exit', cleanup);
    await rpc(server, 'settings.update', { apiEnabled: false });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    return join(server.dataDir, 'haul.db');
  })();
  return template;
}

/** A fresh home and user-data folder, with the local API off. */
export async function makeProfile(): Promise<Profile> {
  const dir = mkdtempSync(join(tmpdir(), 'haul-desktop-'));
  const home = join(dir, 'home');
  const userData = join(dir, 'user-data');
  mkdirSync(home, { recursive: true });
  // Private, as Haul makes its own data folder: an open one is fixed with a notice on start.
  mkdirSync(userData, { recursive: true, mode: 0o700 });
  copyFileSync(await templateDatabase(), join(userData, 'haul.db'));
  chmodSync(join(userData, 'haul.db'), 0o600);
  return {
    home,
    userData,
    // app.getPath('downloads') on Linux: ~/Downloads
    downloads: join(home, 'Downloads'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface WindowState {
  id: number;
  url: string;
  visible: boolean;
  focused: boolean;
  progress: number[];
  webPreferences: Record<string, unknown>;
  exposed: string[];
  options: { show?: boolean; icon?: string };
}

export type StandInState = Omit<typeof recorded, 'tray'> & {
  tray: TrayRecord | undefined;
  notifications: NotificationRecord[];
  ready: boolean;
  devTools: string | undefined;
  clipboard: string;
  windows: WindowState[];
};

async function spawnApp(profile: Profile, args: string[], ipc: boolean): Promise<ChildProcess> {
  const standInFile = await standInModule();
  return spawn(
    process.execPath,
    ['--import', register, join(root, 'out/main/index.js'), `--user-data-dir=${profile.userData}`, ...args],
    {
      cwd: root,
      env: {
        ...process.env,
        HAUL_ELECTRON_STANDIN: standInFile,
        HOME: profile.home,
        XDG_CONFIG_HOME: join(profile.home, '.config'),
      },
      stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? (['ipc'] as const) : [])],
    },
  );
}

export class DesktopApp {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  output = '';
  readonly exited: Promise<number | null>;
  page!: Page;
  private browser: Browser | undefined;

  private constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.on('message', (message: { id?: number; ok?: boolean; value?: unknown; error?: string }) => {
      const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id!);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new Error(message.error));
    });
    this.exited = new Promise((r) => child.once('exit', (code) => r(code)));
    void this.exited.then(() => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`the app exited:\n${this.output}`));
      this.pending.clear();
    });
  }

  /** Starts the app and waits for its window to show the renderer. */
  static async launch(profile: Profile, args: string[] = []): Promise<DesktopApp> {
    const app = new DesktopApp(await spawnApp(profile, args, true));
    try {
      await expect
        .poll(async () => (await app.state()).windows[0]?.visible === true && !!(await app.state()).devTools, {
          timeout: 20_000,
          message: 'the window is shown',
        })
        .toBe(true);
      app.browser = await chromium.connectOverCDP((await app.state()).devTools!);
      const renderer = () =>
        app
          .browser!.contexts()
          .flatMap((c) => c.pages())
          .find((p) => p.url().endsWith('/out/renderer/index.html'));
      await expect.poll(() => renderer() !== undefined, { timeout: 10_000 }).toBe(true);
      app.page = renderer()!;
      await expect(app.page.getByRole('heading', { name: 'Downloads', exact: true })).toBeVisible();
      return app;
    } catch (error) {
      app.child.kill('SIGKILL');
      throw new Error(`${String(error)}\n--- app output ---\n${app.output}`, { cause: error });
    }
  }

  /** Runs a test operation in the app (see electron-standin/electron.ts). */
  control<T = unknown>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolvePromise, reject) => {
      this.pending.set(id, { resolve: resolvePromise, reject });
      this.child.send({ id, op, args });
    });
  }

  state(): Promise<StandInState> {
    return this.control<StandInState>('state');
  }

  /** Calls a command over the window's bridge, as the page does. */
  invoke<T = unknown>(command: string, input: object = {}): Promise<T> {
    return this.page.evaluate(
      ([c, i]) =>
        (window as unknown as { haul: { invoke(c: string, i: unknown): Promise<unknown> } }).haul.invoke(c, i),
      [command, input] as const,
    ) as Promise<T>;
  }

  /** Asks the app to quit (SIGTERM, as a session logout would) and waits for it. */
  async close(): Promise<void> {
    await this.browser?.close().catch(() => undefined);
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 8000);
      await this.exited;
      clearTimeout(timer);
    }
  }
}

/**
 * A `haul` launch expected to end by itself: a second one (it hands its arguments over
 * and exits), or one that cannot start.
 */
export async function secondLaunch(profile: Profile, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = await spawnApp(profile, args, false);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  clearTimeout(timer);
  return { code, output };
}
