/**
 * `app`: lifecycle, paths, the single-instance lock and protocol registration, after
 * https://www.electronjs.org/docs/latest/api/app (quoted below where it matters).
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { recorded } from './record';
import { acquireSingleInstanceLock, type SecondInstance } from './single-instance';

/** The app folder, as `electron <folder>` would have it: where package.json names the entry. */
function findAppPath(entry: string): string {
  for (let dir = dirname(resolve(entry)), i = 0; i < 10; i += 1, dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return process.cwd();
}

const appPath = findAppPath(process.argv[1] ?? '.');
const manifest = JSON.parse(readFileSync(join(appPath, 'package.json'), 'utf8')) as {
  name: string;
  productName?: string;
};

/** Chromium's `--user-data-dir` switch sets userData, as it does in Electron. */
function switchValue(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

type PathName = 'home' | 'appData' | 'userData' | 'sessionData' | 'temp' | 'downloads' | 'logs' | 'exe';

export class App extends EventEmitter {
  private ready = false;
  private readonly readyPromise: Promise<void>;
  private readonly paths = new Map<string, string>();
  private lock: { release(): void } | undefined;
  private quitting = false;
  private name = manifest.productName ?? manifest.name;
  /** Set by the window module: closes every window, with or without their `close` event. */
  closeAllWindows: (immediately: boolean) => Promise<boolean> = () => Promise.resolve(true);
  windowCount: () => number = () => 0;
  /** Set by the window module: ends the browser before the process exits. */
  beforeExit: () => Promise<void> = () => Promise.resolve();

  /** `false`: this is `electron <folder>` in development, not a packaged app. */
  readonly isPackaged = false;
  readonly commandLine = {
    hasSwitch: (name: string) => process.argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`)),
    getSwitchValue: (name: string) => switchValue(name) ?? '',
    appendSwitch: () => undefined,
  };

  constructor() {
    super();
    this.readyPromise = new Promise((resolveReady) => this.once('ready', () => resolveReady()));
    // "ready: Emitted once, when Electron has finished initializing": after the main
    // script's first turn, so its top-level code can still register listeners.
    setTimeout(() => {
      this.ready = true;
      recorded.appEvents.push('ready');
      this.emit('will-finish-launching');
      this.emit('ready', { preventDefault() {} }, {});
    }, 0);
  }

  isReady(): boolean {
    return this.ready;
  }

  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  getName(): string {
    return this.name;
  }

  setName(name: string): void {
    this.name = name;
  }

  getVersion(): string {
    return (JSON.parse(readFileSync(join(appPath, 'package.json'), 'utf8')) as { version: string }).version;
  }

  getAppPath(): string {
    return appPath;
  }

  getLocale(): string {
    return 'en-US';
  }

  /**
   * "appData: Per-user application data directory, which by default points to:
   * %APPDATA% on Windows, $XDG_CONFIG_HOME or ~/.config on Linux, ~/Library/Application
   * Support on macOS"; Downloads is ~/Downloads.
   */
  getPath(name: PathName): string {
    const set = this.paths.get(name);
    if (set) return set;
    const home = process.env.HOME ?? homedir();
    const appData =
      process.platform === 'win32'
        ? (process.env.APPDATA ?? join(home, 'AppData', 'Roaming'))
        : process.platform === 'darwin'
          ? join(home, 'Library', 'Application Support')
          : (process.env.XDG_CONFIG_HOME ?? join(home, '.config'));
    const userData = switchValue('user-data-dir') ?? join(appData, this.name);
    const paths: Record<PathName, string> = {
      home,
      appData,
      userData,
      sessionData: userData,
      temp: tmpdir(),
      downloads: join(home, 'Downloads'),
      logs: join(userData, 'logs'),
      exe: process.execPath,
    };
    if (!(name in paths)) throw new Error(`Failed to get '${name}' path`);
    return paths[name];
  }

  setPath(name: string, path: string): void {
    this.paths.set(name, path);
  }

  /**
   * "returns true if your process is the primary instance ... false if your process
   * should immediately quit as it has sent its parameters to another instance". The
   * lock is a Unix socket in userData, as Chromium's SingletonSocket is.
   */
  requestSingleInstanceLock(additionalData?: Record<string, unknown>): boolean {
    const userData = this.getPath('userData');
    mkdirSync(userData, { recursive: true });
    const result = acquireSingleInstanceLock(userData, process.argv, additionalData, (second) =>
      this.secondInstance(second),
    );
    this.lock = result.lock;
    return result.primary;
  }

  hasSingleInstanceLock(): boolean {
    return this.lock !== undefined;
  }

  releaseSingleInstanceLock(): void {
    this.lock?.release();
    this.lock = undefined;
  }

  /** "This event is guaranteed to be emitted after the ready event of app gets emitted." */
  private secondInstance(second: SecondInstance): void {
    void this.whenReady().then(() => {
      recorded.appEvents.push('second-instance');
      this.emit('second-instance', { preventDefault() {} }, second.argv, second.cwd, second.additionalData);
    });
  }

  /** What macOS does for a clicked `haul://` link; emitted by the tests. */
  openUrl(url: string): boolean {
    recorded.appEvents.push('open-url');
    let prevented = false;
    this.emit('open-url', { preventDefault: () => (prevented = true) }, url);
    return prevented;
  }

  setAsDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean {
    recorded.protocolClients.push({ protocol, ...(path ? { path } : {}), ...(args ? { args } : {}) });
    return true;
  }

  isDefaultProtocolClient(protocol: string): boolean {
    return recorded.protocolClients.some((c) => c.protocol === protocol);
  }

  removeAsDefaultProtocolClient(protocol: string): boolean {
    recorded.protocolClients = recorded.protocolClients.filter((c) => c.protocol !== protocol);
    return true;
  }

  /**
   * "Try to close all windows. The before-quit event will be emitted first. If all
   * windows are successfully closed, the will-quit event will be emitted and by default
   * the application will terminate."
   */
  quit(): void {
    if (this.quitting) return;
    this.quitting = true;
    void this.runQuit().finally(() => (this.quitting = false));
  }

  private async runQuit(): Promise<void> {
    if (!this.emitPreventable('before-quit')) return;
    if (!(await this.closeAllWindows(false))) return;
    if (!this.emitPreventable('will-quit')) return;
    recorded.appEvents.push('quit');
    this.emit('quit', { preventDefault() {} }, 0);
    await this.finish(0);
  }

  /** "All windows will be closed immediately without asking the user, and the before-quit and will-quit events will not be emitted." */
  exit(code = 0): void {
    recorded.appEvents.push(`exit ${code}`);
    void this.finish(code);
  }

  relaunch(): void {
    recorded.appEvents.push('relaunch');
  }

  focus(): void {}

  /** Linux has no dock. */
  readonly dock = undefined;

  private emitPreventable(name: string): boolean {
    recorded.appEvents.push(name);
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) });
    return !prevented;
  }

  /** Called by the window module when the last window closed by itself. */
  lastWindowClosed(): void {
    if (this.quitting) return;
    // "If you do not subscribe to this event and all windows are closed, the default
    // behavior is to quit the app."
    if (this.listenerCount('window-all-closed') === 0) return this.quit();
    recorded.appEvents.push('window-all-closed');
    this.emit('window-all-closed');
  }

  private async finish(code: number): Promise<void> {
    this.releaseSingleInstanceLock();
    await this.closeAllWindows(true);
    await this.beforeExit().catch(() => undefined);
    process.exit(code);
  }
}

export const app = new App();

// An Electron main process lives until it quits, whatever its event loop holds.
setInterval(() => undefined, 1 << 30);

// Electron quits on these signals as if app.quit() had been called (its POSIX shutdown detector).
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => app.quit());
