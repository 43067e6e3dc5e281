import { join } from 'node:path';
import {
  app,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  Notification,
  screen,
  session,
  shell,
  type BrowserWindow,
} from 'electron';
import type { Job } from '../../src-common/contract';
import type { Core } from '../core/app';
import { startAria2Endpoint } from '../server/aria2/endpoint';
import { startServer, type RunningServer } from '../server/http';
import { removeInstanceFile, writeInstanceFile } from '../server/instance-file';
import { repeatWhile } from '../server/repeat-while';
import { registerIpc } from './ipc';
import { urlsFromArgs, urlsFromLink } from './launch-urls';
import { chooseNotification, notificationBurst } from './notify-choice';
import { clipboardOffer, needsConfirmationToOpen } from './open-safety';
import { createShowRequests } from './show-requests';
import { createTray } from './tray';
import { createMainWindow } from './window';
import { readBounds, restoreBounds, writeBounds } from './window-state';
import type { TrustedOrigin } from './trust';

export interface DesktopOptions {
  core: Core;
  trusted: TrustedOrigin;
  preload: string;
  resourcesDir: string;
}

/**
 * Everything that makes Haul a desktop app: the window, tray, notifications, URLs from
 * other launches and the clipboard, the local API when enabled, and a clean quit.
 */
export function startDesktop(options: DesktopOptions): { handleUrls(urls: string[]): void } {
  const { core } = options;
  const boundsFile = join(app.getPath('userData'), 'window.json');
  let window: BrowserWindow | undefined;
  let quitting = false;

  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  registerIpc(ipcMain, core, options.trusted);
  const showRequests = createShowRequests(ipcMain, options.trusted);

  const saveBounds = () => {
    if (window && !window.isDestroyed()) {
      writeBounds(boundsFile, { ...window.getNormalBounds(), maximized: window.isMaximized() });
    }
  };

  const showWindow = () => {
    if (!window || window.isDestroyed()) {
      const displays = screen.getAllDisplays().map((d) => d.workArea);
      window = createMainWindow({
        preload: options.preload,
        trusted: options.trusted,
        bounds: restoreBounds(readBounds(boundsFile), displays),
        icon: join(options.resourcesDir, 'icon.png'),
      });
      window.on('close', (event) => {
        saveBounds();
        if (!quitting && core.settings.get().closeToTray) {
          event.preventDefault();
          window?.hide();
        }
      });
    }
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  // Links from outside (haul:// links, another launch, the clipboard) open Add prefilled
  // for the user to confirm: a web page must not start downloads silently. The setting
  // startExternalLinks starts them at once instead.
  const handleUrls = (urls: string[]) => {
    showWindow();
    if (urls.length === 0 || !window) return;
    if (core.settings.get().startExternalLinks) void core.invoke('downloads.submit', { url: urls.join('\n') });
    else showRequests.send(window.webContents, { kind: 'add', urls });
  };

  const quit = () => {
    quitting = true;
    app.quit();
  };

  const tray = createTray({
    core,
    resourcesDir: options.resourcesDir,
    showWindow,
    handleUrls,
    window: () => window,
    quit,
  });

  // The tray reads the whole live list: at most a few times a second, however busy the stream.
  let trayTimer: NodeJS.Timeout | undefined;
  const scheduleTrayUpdate = () => {
    trayTimer ??= setTimeout(() => {
      trayTimer = undefined;
      tray.update();
    }, 250);
  };

  const notifications = notificationBurst((choice) => {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title: choice.title, body: choice.body });
    const onClick = choice.onClick;
    notification.on('click', () => {
      if (onClick.kind === 'show-file') return shell.showItemInFolder(onClick.path);
      showWindow();
      if (window && onClick.kind === 'show-job') showRequests.send(window.webContents, { kind: 'job', id: onClick.id });
    });
    notification.show();
  });

  // Notifications and the tray follow the job stream; only status changes notify.
  const statuses = new Map<string, Job['status']>();
  const subscription = core.events.subscribe();
  void (async () => {
    for await (const event of subscription) {
      if (event.event === 'init') {
        statuses.clear();
        for (const job of [...event.data.jobs, ...event.data.actionJobs, ...event.data.tasks])
          statuses.set(job.id, job.status);
      } else if (event.data.type === 'removed') {
        statuses.delete(event.data.job.id);
      } else {
        const job = event.data.job;
        const choice = chooseNotification(statuses.get(job.id), job, core.settings.get().notifications);
        statuses.set(job.id, job.status);
        if (choice) notifications.add(choice);
      }
      scheduleTrayUpdate();
    }
  })();

  // Clipboard watching (opt-in): a newly copied http(s) URL is offered once.
  const offered = new Set<string>();
  const offerFromClipboard = async () => {
    if (!core.settings.get().watchClipboard) return;
    const url = clipboardOffer(await clipboard.readText(), offered);
    if (!url) return;
    const notification = new Notification({ title: 'Download this link?', body: url });
    notification.on('click', () => handleUrls([url]));
    notification.show();
  };
  // Polled only while the setting is on: otherwise nothing wakes the app every 1.5 s.
  const clipboardPoll = repeatWhile(
    () =>
      void offerFromClipboard().catch((error: unknown) => console.warn('haul: could not read the clipboard', error)),
    () => core.settings.get().watchClipboard,
    1500,
  );
  if (core.settings.get().watchClipboard) clipboardPoll.arm();
  const unfollowClipboard = core.settings.onChange((next) => {
    if (next.watchClipboard) clipboardPoll.arm();
  });

  // The local API, when enabled, for the CLI and browser extensions.
  let server: RunningServer | undefined;
  const dataDir = app.getPath('userData');
  const { apiEnabled, apiPort } = core.settings.get();
  if (apiEnabled) {
    startServer({ core, token: () => core.apiToken(), port: apiPort })
      .then((running) => {
        server = running;
        writeInstanceFile(dataDir, { port: running.port, pid: process.pid });
      })
      .catch((error: unknown) => console.error(`haul: the local API did not start: ${String(error)}`));
  }

  // The aria2-compatible endpoint follows its settings (off by default).
  const aria2 = startAria2Endpoint({ core });

  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      {
        label: 'File',
        submenu: [
          { label: 'Pause all', accelerator: 'CmdOrCtrl+Shift+P', click: () => void core.invoke('jobs.pauseAll', {}) },
          {
            label: 'Resume all',
            accelerator: 'CmdOrCtrl+Shift+R',
            click: () => void core.invoke('jobs.resumeAll', {}),
          },
          { type: 'separator' },
          { label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: quit },
        ],
      },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );

  // Quit cleanly: downloads stop resumably, SQLite closes, all within 5 s.
  let closing = false;
  app.on('before-quit', (event) => {
    quitting = true;
    if (closing) return;
    event.preventDefault();
    closing = true;
    // app.exit() below closes the window without its 'close' event: keep its place now.
    saveBounds();
    unfollowClipboard();
    clipboardPoll.stop();
    showRequests.stop();
    clearTimeout(trayTimer);
    subscription.close();
    tray.destroy();
    void aria2.close(); // ends its sockets at once; nothing to wait for
    const done = Promise.all([server?.close(), core.close()]).finally(() => removeInstanceFile(dataDir, process.pid));
    void Promise.race([done, new Promise((r) => setTimeout(r, 5000))]).then(() => app.exit(0));
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin' && !core.settings.get().closeToTray) quit();
  });
  app.on('activate', showWindow);

  showWindow();
  tray.update();
  return { handleUrls };
}

/** Opening a downloaded file: programs and scripts need an explicit yes first. */
export async function openDownloadedFile(path: string, parent?: BrowserWindow): Promise<void> {
  if (needsConfirmationToOpen(path)) {
    const options = {
      type: 'warning' as const,
      buttons: ['Cancel', 'Open'],
      defaultId: 0,
      cancelId: 0,
      message: 'This file is a program or script.',
      detail: `${path}\n\nOpen it only if you trust where it came from.`,
    };
    const { response } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
    if (response !== 1) return;
  }
  const error = await shell.openPath(path);
  if (error) throw new Error(error);
}

export { urlsFromArgs, urlsFromLink };
