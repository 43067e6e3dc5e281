/**
 * `BrowserWindow`, after https://www.electronjs.org/docs/latest/api/browser-window, each
 * one a page of the stand-in's Chromium. Window-manager state (shown, focused,
 * maximized, bounds, the taskbar progress) is kept here and recorded for the tests.
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { app } from './app';
import { browserContext, closeBrowser } from './chromium';
import { WebContents, type WebPreferences } from './web-contents';

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface WindowOptions {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  show?: boolean;
  title?: string;
  icon?: string;
  webPreferences?: WebPreferences;
  [key: string]: unknown;
}

const windows: BrowserWindow[] = [];
/** The id of the window with the focus; windows are looked up in `windows`. */
let focusedId: number | undefined;
const focusedWindow = () => windows.find((w) => w.id === focusedId);
let nextWindowId = 1;

async function newPage(): Promise<Page> {
  const context = await browserContext(join(app.getPath('userData'), 'StandInChromium'));
  // The persistent context opens with one blank tab: the first window takes it.
  const blank = context.pages().find((p) => p.url() === 'about:blank' && !claimed.has(p));
  const page = blank ?? (await context.newPage());
  claimed.add(page);
  return page;
}
const claimed = new WeakSet<Page>();

export class BrowserWindow extends EventEmitter {
  static getAllWindows(): BrowserWindow[] {
    return [...windows];
  }

  static getFocusedWindow(): BrowserWindow | null {
    return focusedWindow() ?? null;
  }

  static fromWebContents(contents: WebContents): BrowserWindow | null {
    return windows.find((w) => w.webContents === contents) ?? null;
  }

  readonly id = nextWindowId++;
  readonly webContents: WebContents;
  readonly options: WindowOptions;
  private bounds: Bounds;
  private visible = false;
  private destroyed = false;
  private maximized = false;
  private minimized = false;
  private title: string;
  /** Every value given to setProgressBar, in order. */
  readonly progressHistory: number[] = [];
  private readonly page: Promise<Page>;

  constructor(options: WindowOptions = {}) {
    super();
    // "You cannot use this module until the ready event of the app module is emitted."
    if (!app.isReady()) throw new Error('Cannot create BrowserWindow before app is ready');
    this.options = options;
    this.title = options.title ?? app.getName();
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 };
    this.page = newPage().then(async (page) => {
      await page.setViewportSize({ width: this.bounds.width, height: this.bounds.height });
      return page;
    });
    this.webContents = new WebContents(this.page, options.webPreferences ?? {});
    windows.push(this);
    // "ready-to-show: Emitted when the web page has been rendered (while not being shown)".
    this.webContents.once('did-finish-load', () => this.emit('ready-to-show'));
    if (options.show !== false) queueMicrotask(() => this.show());
  }

  show(): void {
    if (this.destroyed) return;
    const wasVisible = this.visible;
    this.visible = true;
    this.minimized = false;
    if (!wasVisible) this.emit('show');
    this.focus();
  }

  showInactive(): void {
    this.visible = true;
    this.emit('show');
  }

  hide(): void {
    if (!this.visible) return;
    this.visible = false;
    if (focusedId === this.id) focusedId = undefined;
    this.emit('hide');
  }

  focus(): void {
    if (this.destroyed || focusedId === this.id) return;
    focusedWindow()?.emit('blur');
    focusedId = this.id;
    this.emit('focus');
    void this.page.then((p) => p.bringToFront()).catch(() => undefined);
  }

  blur(): void {
    if (focusedId === this.id) focusedId = undefined;
    this.emit('blur');
  }

  isVisible(): boolean {
    return this.visible;
  }

  isFocused(): boolean {
    return focusedId === this.id;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  minimize(): void {
    this.minimized = true;
    this.emit('minimize');
  }

  isMinimized(): boolean {
    return this.minimized;
  }

  restore(): void {
    this.minimized = false;
    this.emit('restore');
  }

  maximize(): void {
    this.maximized = true;
    this.emit('maximize');
  }

  unmaximize(): void {
    this.maximized = false;
    this.emit('unmaximize');
  }

  isMaximized(): boolean {
    return this.maximized;
  }

  getBounds(): Bounds {
    return { ...this.bounds };
  }

  getNormalBounds(): Bounds {
    return { ...this.bounds };
  }

  setBounds(bounds: Partial<Bounds>): void {
    this.bounds = { ...this.bounds, ...bounds };
    void this.page.then((p) => p.setViewportSize({ width: this.bounds.width, height: this.bounds.height }));
  }

  setTitle(title: string): void {
    this.title = title;
  }

  getTitle(): string {
    return this.title;
  }

  /** "Remove progress bar when progress < 0; Change to indeterminate mode when progress > 1." */
  setProgressBar(progress: number): void {
    this.progressHistory.push(progress);
  }

  setMenu(): void {}
  removeMenu(): void {}
  setMenuBarVisibility(): void {}
  setIcon(): void {}
  flashFrame(): void {}
  setSkipTaskbar(): void {}

  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }

  loadFile(file: string, options?: { query?: Record<string, string>; hash?: string }): Promise<void> {
    return this.webContents.loadFile(file, options);
  }

  /** "Try to close the window. This has the same effect as a user manually clicking the close button." */
  close(): void {
    if (this.destroyed) return;
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.destroy();
  }

  /** "Force closing the window, the unload and beforeunload event won't be emitted." */
  destroy(): void {
    void this.teardown(true);
  }

  /** Destroys the window; `lastClosed` false when the app closes them all itself. */
  async teardown(lastClosed: boolean): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    if (focusedId === this.id) focusedId = undefined;
    windows.splice(windows.indexOf(this), 1);
    this.webContents.destroy();
    this.emit('closed');
    await this.page.then((p) => p.close()).catch(() => undefined);
    if (lastClosed && windows.length === 0) app.lastWindowClosed();
  }

  /** What the tests read about this window. */
  describe() {
    return {
      id: this.id,
      url: this.webContents.getURL(),
      title: this.title,
      visible: this.visible,
      focused: this.isFocused(),
      maximized: this.maximized,
      bounds: this.bounds,
      progress: this.progressHistory,
      webPreferences: this.webContents.webPreferences,
      exposed: this.webContents.exposed,
      options: { show: this.options.show, icon: this.options.icon },
    };
  }
}

app.closeAllWindows = async (immediately) => {
  for (const window of [...windows]) {
    if (immediately) await window.teardown(false);
    else {
      let prevented = false;
      window.emit('close', { preventDefault: () => (prevented = true) });
      if (prevented) return false;
      await window.teardown(false);
    }
  }
  return true;
};
app.windowCount = () => windows.length;
app.beforeExit = () => closeBrowser();
