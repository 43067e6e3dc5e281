import { join } from 'node:path';
import { BrowserWindow, shell } from 'electron';
import { isTrustedFrameUrl, type TrustedOrigin } from './trust';

/** The main window: our own page only, with the renderer fully isolated from Node. */
export function createMainWindow(options: { preload: string; trusted: TrustedOrigin }): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 720,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Haul',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });

  window.once('ready-to-show', () => window.show());

  window.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedFrameUrl(url, options.trusted)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//i.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });

  if (options.trusted.devServerUrl) void window.loadURL(options.trusted.devServerUrl);
  else void window.loadFile(join(options.trusted.rendererDir, 'index.html'));
  return window;
}
