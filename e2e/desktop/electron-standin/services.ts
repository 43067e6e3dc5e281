/** clipboard, dialog, shell, screen and session: what the app asks of the OS, recorded. */
import { app } from './app';
import { recorded } from './record';

let clipboardText = '';

/** Electron 45's typings (node_modules/electron/electron.d.ts): `readText(): Promise<string>`. */
export const clipboard = {
  readText: () => Promise.resolve(clipboardText),
  writeText: (text: string) => void (clipboardText = text),
  clear: () => void (clipboardText = ''),
};

let nextResponse = 0;

export const dialog = {
  /** Answers with the button index a test chose beforehand (`setDialogResponse`), else 0. */
  showMessageBox(...args: unknown[]): Promise<{ response: number; checkboxChecked: boolean }> {
    const options = (args.length > 1 ? args[1] : args[0]) as { message?: string };
    recorded.dialogs.push({ method: 'showMessageBox', message: options.message });
    const response = nextResponse;
    nextResponse = 0;
    return Promise.resolve({ response, checkboxChecked: false });
  },
  showOpenDialog(...args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> {
    const options = (args.length > 1 ? args[1] : args[0]) as { title?: string };
    recorded.dialogs.push({ method: 'showOpenDialog', message: options.title });
    return Promise.resolve({ canceled: true, filePaths: [] });
  },
  /** Also on stderr: the app may exit right after it, with no one left to ask for the record. */
  showErrorBox(title: string, content: string): void {
    recorded.dialogs.push({ method: 'showErrorBox', message: `${title}: ${content}` });
    process.stderr.write(`[error box] ${title}: ${content}\n`);
  },
};

export function setDialogResponse(response: number): void {
  nextResponse = response;
}

export const shell = {
  showItemInFolder: (path: string) => void recorded.shell.push({ method: 'showItemInFolder', target: path }),
  /** "Resolves with a string containing the error message corresponding to the failure if a failure occurred, otherwise ''." */
  openPath: (path: string) => {
    recorded.shell.push({ method: 'openPath', target: path });
    return Promise.resolve('');
  },
  openExternal: (url: string) => {
    recorded.shell.push({ method: 'openExternal', target: url });
    return Promise.resolve();
  },
  beep: () => undefined,
};

/** One 1920x1080 display with a 30 px panel. "This module cannot be used until the ready event of the app module is emitted." */
const display = {
  id: 1,
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 0, y: 0, width: 1920, height: 1050 },
  size: { width: 1920, height: 1080 },
  workAreaSize: { width: 1920, height: 1050 },
  scaleFactor: 1,
  rotation: 0,
  internal: false,
};

function whenReady<T>(what: string, value: () => T): T {
  if (!app.isReady()) throw new Error(`${what} cannot be used before the app is ready`);
  return value();
}

export const screen = {
  getAllDisplays: () => whenReady('screen', () => [display]),
  getPrimaryDisplay: () => whenReady('screen', () => display),
  getDisplayMatching: () => whenReady('screen', () => display),
  getCursorScreenPoint: () => whenReady('screen', () => ({ x: 0, y: 0 })),
  on: () => screen,
};

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
type PermissionCheckHandler = (contents: unknown, permission: string) => boolean;

const handlers: { request?: PermissionRequestHandler | null; check?: PermissionCheckHandler | null } = {};

const defaultSession = {
  setPermissionRequestHandler: (handler: PermissionRequestHandler | null) => void (handlers.request = handler),
  setPermissionCheckHandler: (handler: PermissionCheckHandler | null) => void (handlers.check = handler),
  on: () => defaultSession,
};

export const session = {
  get defaultSession() {
    return whenReady('session', () => defaultSession);
  },
};

/**
 * What a page asking for a permission would get. Electron's default with no handler
 * is to grant it ("By default, Electron will automatically approve all permission requests").
 */
export function askPermission(permission: string): Promise<{ requested: boolean; checked: boolean }> {
  return new Promise((resolve) => {
    const checked = handlers.check ? handlers.check(null, permission) : true;
    if (!handlers.request) return resolve({ requested: true, checked });
    handlers.request(null, permission, (granted) => resolve({ requested: granted, checked }));
  });
}
