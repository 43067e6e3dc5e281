/**
 * A stand-in for the `electron` module, for end-to-end tests only (never shipped). It
 * lets the built `out/main/index.js` run unchanged under plain Node: `register.mjs`
 * resolves `electron` here; each BrowserWindow is a page of Debian's Chromium driven by
 * Playwright; the built preload runs in that page before any page script, and its
 * ipcRenderer reaches ipcMain through a binding that reports the calling frame's URL.
 * Tray, Menu, Notification, clipboard, dialog, shell, screen and session record what
 * they are asked; the test process reads that and acts as the user through `record.ts`.
 *
 * What it cannot prove (e2e/electron.spec.ts with a real binary does):
 * - context isolation and the sandbox: the preload runs in the page's own JS world
 *   (hidden in a closure, but the same world) and cannot touch Node anyway; Electron's
 *   separate worlds, its sandboxed renderer process and structured-clone copies at the
 *   bridge are not reproduced, and a page script that knows Playwright's internals could
 *   reach the binding;
 * - native menus, the tray icon, notifications, the taskbar progress, protocol
 *   registration and file-manager calls: recorded, never seen by an OS;
 * - `--user-data-dir`, single-instance hand-over and app paths follow Electron's
 *   documented behaviour, not Electron's code; they are exercised on Linux only (the
 *   Windows pipe and the macOS/Windows paths are written from the documentation, untested);
 * - better-sqlite3 runs its Node build here: the Electron-ABI build is not loaded;
 * - file:// navigations are not offered to will-navigate (Playwright cannot route them).
 */
import { app } from './app';
import { BrowserWindow } from './browser-window';
import { devToolsEndpoint } from './chromium';
import { ipcMain } from './ipc-main';
import { Menu, MenuItem } from './menu';
import { nativeImage, NativeImage } from './native-image';
import { Notification, notificationById } from './notification';
import { onControl, recorded } from './record';
import { askPermission, clipboard, dialog, screen, session, setDialogResponse, shell } from './services';
import { currentTray, Tray } from './tray';

function window(id: unknown): BrowserWindow {
  const found = BrowserWindow.getAllWindows().find((w) => w.id === (id ?? BrowserWindow.getAllWindows()[0]?.id));
  if (!found) throw new Error(`no window ${String(id)}`);
  return found;
}

onControl('state', async () => ({
  ...recorded,
  ready: app.isReady(),
  devTools: devToolsEndpoint(),
  clipboard: await clipboard.readText(),
  windows: BrowserWindow.getAllWindows().map((w) => w.describe()),
}));
onControl('clickTray', () => currentTray().emit('click', {}, {}));
onControl('clickTrayItem', ({ label }) => currentTray().clickItem(String(label)));
onControl('clickMenuItem', ({ label }) => Menu.getApplicationMenu()?.clickItem(String(label)));
onControl('clickNotification', ({ id }) => notificationById(Number(id)).click());
onControl('writeClipboard', ({ text }) => clipboard.writeText(String(text)));
onControl('openUrl', ({ url }) => app.openUrl(String(url)));
onControl('setDialogResponse', ({ response }) => setDialogResponse(Number(response)));
onControl('askPermission', ({ permission }) => askPermission(String(permission)));
onControl('loadURL', ({ window: id, url }) => window(id).loadURL(String(url)));
onControl('closeWindow', ({ window: id }) => window(id).close());
// As the user minimising it to the tray, or the OS hiding it.
onControl('hideWindow', ({ window: id }) => window(id).hide());
onControl('quit', () => app.quit());

export {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  MenuItem,
  nativeImage,
  NativeImage,
  Notification,
  screen,
  session,
  shell,
  Tray,
};

export default {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  MenuItem,
  nativeImage,
  NativeImage,
  Notification,
  screen,
  session,
  shell,
  Tray,
};
