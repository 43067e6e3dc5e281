/**
 * `ipcMain`, after https://www.electronjs.org/docs/latest/api/ipc-main: `on` listeners
 * get an IpcMainEvent, `handle` handlers an IpcMainInvokeEvent; both carry the sender
 * WebContents and `senderFrame`, the frame the message came from (its URL read live).
 */
import { EventEmitter } from 'node:events';

export interface SenderFrame {
  readonly url: string;
  readonly name: string;
  readonly top: SenderFrame | null;
}

export interface IpcSender {
  readonly id: number;
}

export interface IpcEventBase {
  sender: IpcSender;
  senderFrame: SenderFrame | null;
  frameId: number;
  processId: number;
}

type InvokeHandler = (event: IpcEventBase, ...args: unknown[]) => unknown;

export class IpcMain extends EventEmitter {
  private readonly handlers = new Map<string, InvokeHandler>();

  /** "Adds a handler for an invokeable IPC. ... it is an error to register a second handler." */
  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }

  handleOnce(channel: string, handler: InvokeHandler): void {
    this.handle(channel, (event, ...args) => {
      this.removeHandler(channel);
      return handler(event, ...args);
    });
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /**
   * ipcRenderer.invoke: the handler's value, or the rejection the renderer sees. Electron
   * rejects with "Error invoking remote method '<channel>': <error>" and keeps only the
   * message of a thrown error.
   */
  async invoke(event: IpcEventBase, channel: string, args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler)
      throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    try {
      return await handler(event, ...args);
    } catch (error) {
      throw new Error(`Error invoking remote method '${channel}': ${String(error)}`, { cause: error });
    }
  }

  /** ipcRenderer.send: every `on` listener of the channel, with an IpcMainEvent. */
  deliver(event: IpcEventBase, channel: string, args: unknown[]): void {
    const full = { ...event, returnValue: undefined, reply: () => undefined, ports: [] };
    this.emit(channel, full, ...args);
  }
}

export const ipcMain = new IpcMain();
