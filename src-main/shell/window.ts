import { join } from 'node:path';
import { BrowserWindow, shell } from 'electron';
import { isOpenableExternally } from './open-safety';
import { isTrustedFrameUrl, type TrustedOrigin } from './trust';
import { defaultBounds, type WindowBounds } from './window-state';

/** The main window: our own page only, with the renderer fully isolated from Node. */
export function createMainWindow(options: {
  preload: string;
  trusted: TrustedOrigin;
  bounds?: WindowBounds;
  icon?: string;
}): BrowserWindow {
  const bounds = options.bounds ?? defaultBounds;
  const window = new BrowserWindow({
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    width: bounds.width,
    height: bounds.height,
    ...(options.icon ? { icon: options.icon } : {}),
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

  window.once('ready-to-show', () => {
    if (bounds.maximized) window.maximize();
    window.show();
  });

  window.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedFrameUrl(url, options.trusted)) event.preventDefault();
  });
  // A link the user clicked that opens a new window: web links go to the system
  // browser, everything else is dropped. No new Electron window is ever created.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isOpenableExternally(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });

  if (options.trusted.devServerUrl) void window.loadURL(options.trusted.devServerUrl);
  else void window.loadFile(join(options.trusted.rendererDir, 'index.html'));
  return window;
}
