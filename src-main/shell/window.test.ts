import { beforeEach, describe, expect, it, vi } from 'vitest';

const created: { options: Record<string, unknown>; handlers: Record<string, (...args: unknown[]) => void> }[] = [];
const openExternal = vi.fn(async () => undefined);

vi.mock('electron', () => {
  class BrowserWindow {
    handlers: Record<string, (...args: unknown[]) => void> = {};
    windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
    loaded: string | undefined;
    webContents = {
      on: (event: string, handler: (...args: unknown[]) => void) => (this.handlers[event] = handler),
      setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) =>
        (this.windowOpenHandler = handler),
    };
    constructor(options: Record<string, unknown>) {
      created.push({ options, handlers: this.handlers });
    }
    once() {}
    show() {}
    loadFile(file: string) {
      this.loaded = file;
      return Promise.resolve();
    }
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
  }
  return { BrowserWindow, shell: { openExternal } };
});

const { createMainWindow } = await import('./window');

beforeEach(() => {
  created.length = 0;
  openExternal.mockClear();
});

const trusted = { rendererDir: '/opt/haul/out/renderer' };

describe('main window', () => {
  it('isolates the renderer from Node', () => {
    createMainWindow({ preload: '/opt/haul/out/preload/index.cjs', trusted });
    expect(created[0]!.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: '/opt/haul/out/preload/index.cjs',
    });
  });

  it('loads the renderer from its own files', () => {
    const window = createMainWindow({ preload: 'p', trusted }) as unknown as { loaded: string };
    expect(window.loaded).toBe('/opt/haul/out/renderer/index.html');
  });

  it('blocks navigation away from our page', () => {
    createMainWindow({ preload: 'p', trusted });
    const willNavigate = created[0]!.handlers['will-navigate']!;
    const away = { preventDefault: vi.fn() };
    willNavigate(away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const home = { preventDefault: vi.fn() };
    willNavigate(home, 'file:///opt/haul/out/renderer/index.html');
    expect(home.preventDefault).not.toHaveBeenCalled();
  });

  it('denies window.open, handing only http(s) links to the system browser', () => {
    const window = createMainWindow({ preload: 'p', trusted }) as unknown as {
      windowOpenHandler: (d: { url: string }) => { action: string };
    };
    expect(window.windowOpenHandler({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://example.com/');
    expect(window.windowOpenHandler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(1);
  });
});
