/** Electron entry: the core plus the desktop shell. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, ipcMain, session } from 'electron';
import { version } from '../package.json';
import { createCore, type Core } from './core/app';
import { defaultDownloadDir } from './core/paths';
import { registerInvokeHandler } from './shell/ipc';
import { electronSqliteBinding } from './shell/native-binding';
import { createMainWindow } from './shell/window';

const here = dirname(fileURLToPath(import.meta.url));
let core: Core | undefined;

async function start() {
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  core = createCore({
    dataDir: app.getPath('userData'),
    downloadDir: app.getPath('downloads') || defaultDownloadDir(),
    runtime: 'electron',
    version,
    nativeBinding: electronSqliteBinding({
      isPackaged: app.isPackaged,
      resourcesPath: process.resourcesPath,
      appPath: app.getAppPath(),
      electronVersion: process.versions.electron ?? '',
    }),
  });

  const trusted = {
    rendererDir: join(here, '..', 'renderer'),
    devServerUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
  };
  registerInvokeHandler(ipcMain, core, trusted);
  createMainWindow({ preload: join(here, '..', 'preload', 'index.cjs'), trusted });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  void core?.close();
});

start().catch((error: unknown) => {
  console.error(error);
  app.exit(1);
});
