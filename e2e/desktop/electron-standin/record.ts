/**
 * What the stand-in was asked to do, kept for the tests, and the control channel they
 * use to read it and to act as the user or the OS would (click a tray item, copy text).
 * The channel is Node's IPC to the test process (`spawn(..., { stdio: [..., 'ipc'] })`).
 */

export interface TrayRecord {
  image: string;
  tooltip: string;
  menu: string[];
  destroyed: boolean;
  /** Every distinct (image, tooltip) the tray showed, in order. */
  history: { image: string; tooltip: string }[];
}

export interface NotificationRecord {
  id: number;
  title: string;
  body: string;
  shown: boolean;
  clicked: boolean;
}

export const recorded = {
  /** app lifecycle as it happened: ready, second-instance, open-url, before-quit, ... */
  appEvents: [] as string[],
  protocolClients: [] as { protocol: string; path?: string; args?: string[] }[],
  applicationMenu: [] as string[],
  tray: undefined as TrayRecord | undefined,
  notifications: [] as NotificationRecord[],
  /** shell.showItemInFolder / openPath / openExternal calls, with their argument. */
  shell: [] as { method: string; target: string }[],
  dialogs: [] as { method: string; message?: string }[],
  /** Preload failures and other things a test must see as failures. */
  errors: [] as string[],
};

type Handler = (args: Record<string, unknown>) => unknown;
const handlers = new Map<string, Handler>();

/** Registers a test operation, e.g. `clickTrayItem`. */
export function onControl(op: string, handler: Handler): void {
  handlers.set(op, handler);
}

interface Request {
  id: number;
  op: string;
  args?: Record<string, unknown>;
}

if (process.send) {
  process.on('message', (message: Request) => {
    const handler = handlers.get(message.op);
    void Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown control operation ${message.op}`);
        return handler(message.args ?? {});
      })
      .then(
        (value) => process.send?.({ id: message.id, ok: true, value }),
        (error: unknown) => process.send?.({ id: message.id, ok: false, error: String(error) }),
      );
  });
  // The channel alone must not keep the app alive: the app decides when it exits.
  process.channel?.unref();
}

/** Tells the test process something happened without being asked (e.g. the app is ready). */
export function announce(event: string, data: unknown = null): void {
  process.send?.({ event, data });
}
