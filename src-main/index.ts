/** Electron entry: the core plus the desktop shell. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, shell } from 'electron';
import { version } from '../package.json';
import { setRuntimeFlags } from './core/runtime-flags';
import { urlsFromArgs, urlsFromLink } from './shell/launch-urls';

// Before the program's modules load (imported once the app is ready, below): loading them
// with V8's default young generation grew it to 32 MB for the life of the process.
setRuntimeFlags();

const here = dirname(fileURLToPath(import.meta.url));

// One Haul at a time: a second launch hands its URLs to the first and exits.
if (!app.requestSingleInstanceLock()) {
  app.exit(0);
} else {
  if (process.defaultApp) app.setAsDefaultProtocolClient('haul', process.execPath, [process.argv[1] ?? '.']);
  else app.setAsDefaultProtocolClient('haul');

  const pending: string[] = urlsFromArgs(process.argv.slice(1));
  let handleUrls: ((urls: string[]) => void) | undefined;
  const receive = (urls: string[]) => (handleUrls ? handleUrls(urls) : pending.push(...urls));

  app.on('second-instance', (_event, argv) => receive(urlsFromArgs(argv.slice(1))));
  app.on('open-url', (event, url) => {
    event.preventDefault();
    receive(urlsFromLink(url));
  });

  app
    .whenReady()
    .then(async () => {
      const { createCore, electronSqliteBinding, openDownloadedFile, startDesktop } = await import('./desktop-program');
      const resourcesDir = app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'resources');
      const core = createCore({
        dataDir: app.getPath('userData'),
        downloadDir: app.getPath('downloads'),
        runtime: 'electron',
        version,
        nativeBinding: electronSqliteBinding({
          isPackaged: app.isPackaged,
          resourcesPath: process.resourcesPath,
          appPath: app.getAppPath(),
          electronVersion: process.versions.electron,
        }),
        desktop: { open: (path) => openDownloadedFile(path), reveal: (path) => shell.showItemInFolder(path) },
      });
      const desktop = startDesktop({
        core,
        trusted: {
          rendererDir: join(here, '..', 'renderer'),
          devServerUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
        },
        preload: join(here, '..', 'preload', 'index.cjs'),
        resourcesDir,
      });
      handleUrls = desktop.handleUrls;
      if (pending.length > 0) desktop.handleUrls(pending.splice(0));
    })
    .catch((error: unknown) => {
      // Started from a desktop icon, nobody reads the console: the reason is shown.
      console.error(error);
      dialog.showErrorBox('Haul could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}
