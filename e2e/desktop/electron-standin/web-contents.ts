/**
 * `webContents` of a window: a Playwright page. The built preload runs in it before any
 * page script; ipcRenderer calls reach ipcMain through one binding per page, with the
 * calling frame as `senderFrame`; webContents.send queues messages the page collects.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Frame, Page, Route } from 'playwright-core';
import { ipcMain, type IpcEventBase, type SenderFrame } from './ipc-main';
import { recorded } from './record';

// Beside this module, or beside the bundle the tests build from it.
const pageBridge = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'page-bridge.js'), 'utf8')
  .replace(/^\/\/.*\n/gm, '')
  .trim()
  .replace(/;$/, '');

export interface WebPreferences {
  preload?: string;
  contextIsolation?: boolean;
  sandbox?: boolean;
  nodeIntegration?: boolean;
  nodeIntegrationInSubFrames?: boolean;
  webSecurity?: boolean;
  spellcheck?: boolean;
}

type BridgeMessage =
  | { kind: 'invoke' | 'send'; doc: string; channel: string; args: unknown[] }
  | { kind: 'receive'; doc: string }
  | { kind: 'exposed'; doc: string; key: string }
  | { kind: 'preload-error'; doc: string; message: string };

type OpenHandler = (details: { url: string; frameName: string; features: string; disposition: string }) => {
  action: 'allow' | 'deny';
};

let nextId = 1;

function senderFrame(frame: Frame): SenderFrame {
  return {
    get url() {
      return frame.url();
    },
    name: frame.name(),
    get top() {
      const top = frame.page().mainFrame();
      return top === frame ? null : senderFrame(top);
    },
  };
}

export class WebContents extends EventEmitter {
  readonly id = nextId++;
  private destroyed = false;
  private inbox: [string, unknown[]][] = [];
  private waiter: { doc: string; resolve(batch: [string, unknown[]][] | null): void } | undefined;
  private currentDoc = '';
  private openHandler: OpenHandler | undefined;
  /** A URL main is loading itself: "will-navigate ... will not emit when the navigation is started programmatically". */
  private programmatic: string | undefined;
  private currentPage: Page | undefined;
  /** Keys the preload exposed with contextBridge, for the tests. */
  readonly exposed: string[] = [];

  constructor(
    page: Promise<Page>,
    readonly webPreferences: WebPreferences,
  ) {
    super();
    // Nothing loads before the bridge and the preload are in place.
    this.attached = page.then(async (p) => {
      await this.attach(p);
      return p;
    });
  }

  private readonly attached: Promise<Page>;

  private async attach(page: Page): Promise<void> {
    this.currentPage = page;
    const binding = `__standInIpc_${randomBytes(6).toString('hex')}`;
    await page.exposeBinding(binding, ({ frame }, message: BridgeMessage) => this.fromPage(frame, message));
    const preload = this.webPreferences.preload ? readFileSync(this.webPreferences.preload, 'utf8') : '';
    const options = {
      platform: process.platform,
      sandbox: this.webPreferences.sandbox !== false,
      contextIsolation: this.webPreferences.contextIsolation !== false,
      versions: { chrome: page.context().browser()?.version() ?? '', node: process.versions.node },
    };
    await page.addInitScript(
      `(${pageBridge})(${JSON.stringify(binding)}, ${JSON.stringify(options)}, function (require, module, exports, process, global) {\n${preload}\n});`,
    );
    // Renderer-initiated navigations of the main frame ask main first (will-navigate).
    await page.route(
      (url) => url.protocol === 'http:' || url.protocol === 'https:',
      (route) => this.onRequest(page, route),
    );
    page.on('load', () => this.emit('did-finish-load'));
    page.on('popup', (popup) => void this.onPopup(popup));
    page.on('pageerror', (error) => {
      console.error(`[page] ${error.message}`);
      recorded.errors.push(`page: ${error.message}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') console.error(`[page console] ${message.text()} (${message.location().url})`);
    });
  }

  private async onRequest(page: Page, route: Route): Promise<void> {
    const request = route.request();
    if (!request.isNavigationRequest() || request.frame() !== page.mainFrame()) return route.continue();
    if (this.programmatic === request.url()) {
      this.programmatic = undefined;
      return route.continue();
    }
    let prevented = false;
    this.emit('will-navigate', { preventDefault: () => (prevented = true), url: request.url() }, request.url());
    return prevented ? route.abort('aborted') : route.continue();
  }

  /**
   * "setWindowOpenHandler: Called before creating a window when a new window is requested
   * by the renderer". Here the popup exists already; a denied one is closed at once.
   */
  private async onPopup(popup: Page): Promise<void> {
    await popup.waitForLoadState('domcontentloaded').catch(() => undefined);
    const answer = this.openHandler?.({ url: popup.url(), frameName: '', features: '', disposition: 'new-window' }) ?? {
      action: 'allow',
    };
    if (answer.action === 'deny') await popup.close();
  }

  private async fromPage(frame: Frame, message: BridgeMessage): Promise<unknown> {
    const event: IpcEventBase = { sender: this, senderFrame: senderFrame(frame), frameId: 0, processId: 0 };
    switch (message.kind) {
      case 'invoke':
        try {
          return { ok: true, value: await ipcMain.invoke(event, message.channel, message.args) };
        } catch (error) {
          return { ok: false, message: error instanceof Error ? error.message : String(error) };
        }
      case 'send':
        ipcMain.deliver(event, message.channel, message.args);
        return undefined;
      case 'receive':
        return this.receive(message.doc);
      case 'exposed':
        this.exposed.push(message.key);
        return undefined;
      case 'preload-error':
        recorded.errors.push(`preload: ${message.message}`);
        return undefined;
    }
  }

  private receive(doc: string): Promise<[string, unknown[]][] | null> | [string, unknown[]][] {
    if (doc !== this.currentDoc) {
      // A new document: what was sent to the old one is gone with it, as in Electron.
      this.currentDoc = doc;
      this.inbox = [];
    }
    this.waiter?.resolve(null);
    this.waiter = undefined;
    if (this.inbox.length > 0) return this.inbox.splice(0);
    return new Promise((resolveBatch) => (this.waiter = { doc, resolve: resolveBatch }));
  }

  /** "Send an asynchronous message to the renderer process via channel, along with arguments." */
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.inbox.push([channel, args]);
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve(this.inbox.splice(0));
  }

  async loadURL(url: string): Promise<void> {
    const page = await this.attached;
    this.programmatic = url;
    await page.goto(url, { waitUntil: 'load' });
    this.emit('did-navigate', {}, url);
  }

  /** "filePath: The path to the HTML file relative to the root of your application." */
  loadFile(file: string, options: { query?: Record<string, string>; hash?: string } = {}): Promise<void> {
    const url = pathToFileURL(resolve(file));
    if (options.query) url.search = new URLSearchParams(options.query).toString();
    if (options.hash) url.hash = options.hash;
    return this.loadURL(url.href);
  }

  getURL(): string {
    return this.destroyed ? '' : (this.currentPage?.url() ?? '');
  }

  /** The page, for the window. */
  pageReady(): Promise<Page> {
    return this.attached;
  }

  setWindowOpenHandler(handler: OpenHandler): void {
    this.openHandler = handler;
  }

  async executeJavaScript(code: string): Promise<unknown> {
    return (await this.attached).evaluate(code);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  isLoading(): boolean {
    return false;
  }

  openDevTools(): void {}

  /** Called by the window when it is destroyed. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.waiter?.resolve(null);
    this.waiter = undefined;
    this.emit('destroyed');
  }
}
