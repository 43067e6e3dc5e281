import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { invokeChannel, type Envelope } from '../../src-common/contract';
import type { Core } from '../core/app';
import { registerJobEventForwarder } from './events';
import { isTrustedFrameUrl, type TrustedOrigin } from './trust';

/**
 * The one IPC handler: every command from the renderer enters here, is refused unless
 * it comes from our own page, and is parsed and run by the core's dispatcher.
 */
export function registerInvokeHandler(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  core: Pick<Core, 'invoke'>,
  trusted: TrustedOrigin,
): () => void {
  ipcMain.handle(
    invokeChannel,
    async (
      event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
      name: unknown,
      input: unknown,
    ): Promise<Envelope<unknown>> => {
      if (!isTrustedFrameUrl(event.senderFrame?.url, trusted)) {
        return { ok: false, error: { kind: 'forbidden', message: 'This page may not call Haul.' } };
      }
      return core.invoke(name, input);
    },
  );
  return () => ipcMain.removeHandler(invokeChannel);
}

/** Everything a window reaches over IPC: the commands and the job event stream. */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler' | 'on' | 'removeListener'>,
  core: Pick<Core, 'invoke' | 'events'>,
  trusted: TrustedOrigin,
): () => void {
  const stopInvoke = registerInvokeHandler(ipcMain, core, trusted);
  const stopEvents = registerJobEventForwarder(ipcMain, core.events, trusted);
  return () => {
    stopInvoke();
    stopEvents();
  };
}
