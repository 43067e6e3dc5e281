import { join } from 'node:path';
import { app, clipboard, Menu, nativeImage, Tray, type BrowserWindow } from 'electron';
import type { Core } from '../core/app';
import { urlsFromArgs } from './launch-urls';
import { trayState, type TrayState } from './tray-state';

export interface TrayOptions {
  core: Core;
  resourcesDir: string;
  showWindow(): void;
  /** Links from outside Haul: Add prefilled, or started at once (the startExternalLinks setting). */
  handleUrls(urls: string[]): void;
  window(): BrowserWindow | undefined;
  quit(): void;
}

/**
 * The tray icon, its tooltip and menu, and the taskbar/dock progress, all computed from
 * the live jobs by trayState(). Updated at most a few times a second from the event hub.
 */
export function createTray(options: TrayOptions): { update(): void; destroy(): void } {
  const { core } = options;
  const icons = Object.fromEntries(
    (['idle', 'active', 'error'] as const).map((name) => [
      name,
      nativeImage.createFromPath(join(options.resourcesDir, 'tray', `${name}.png`)),
    ]),
  ) as Record<TrayState['icon'], Electron.NativeImage>;
  const tray = new Tray(icons.idle);

  // The clipboard may hold what a web page put there: it is handed over like any outside link.
  const addFromClipboard = async () => options.handleUrls(urlsFromArgs((await clipboard.readText()).split(/\s+/)));

  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show Haul', click: options.showWindow },
      { label: 'Add from clipboard', click: () => void addFromClipboard() },
      { type: 'separator' },
      { label: 'Pause all', click: () => void core.invoke('jobs.pauseAll', {}) },
      { label: 'Resume all', click: () => void core.invoke('jobs.resumeAll', {}) },
      { type: 'separator' },
      { label: 'Quit', click: options.quit },
    ]),
  );
  tray.on('click', options.showWindow);

  let last = '';
  const update = () => {
    const state = trayState(core.events.snapshot());
    const key = JSON.stringify(state);
    if (key === last) return;
    last = key;
    tray.setImage(icons[state.icon]);
    tray.setToolTip(state.tooltip);
    // The Electron end-to-end test reads the tooltip here (a Tray has no getter for it).
    if (process.env.HAUL_E2E === '1') (globalThis as { haulTrayState?: TrayState }).haulTrayState = state;
    options.window()?.setProgressBar(state.progress);
    if (process.platform === 'darwin') app.dock?.setBadge(state.badge);
  };

  return { update, destroy: () => tray.destroy() };
}
