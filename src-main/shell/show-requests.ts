import type { IpcMain, IpcMainEvent } from 'electron';
import { showChannel, showReadyChannel, type ShowRequest } from '../../src-common/contract';
import { isTrustedFrameUrl, type TrustedOrigin } from './trust';

/** The part of a WebContents show requests go to. */
export interface ShowTarget {
  readonly id: number;
  send(channel: string, request: ShowRequest): void;
  isDestroyed(): boolean;
}

type ReadyEvent = Pick<IpcMainEvent, 'senderFrame'> & { sender: ShowTarget };

/**
 * Requests for the page (show a job, open Add prefilled). A window that was just opened
 * has no listener yet: its requests wait until the page says it listens, then leave in
 * order, so a link that started Haul is not lost while the page loads.
 */
export function createShowRequests(
  ipcMain: Pick<IpcMain, 'on' | 'removeListener'>,
  trusted: TrustedOrigin,
): { send(target: ShowTarget, request: ShowRequest): void; stop(): void } {
  const listening = new Set<number>();
  const held = new Map<number, ShowRequest[]>();

  const onReady = (event: ReadyEvent) => {
    if (!isTrustedFrameUrl(event.senderFrame?.url, trusted)) return;
    const target = event.sender;
    listening.add(target.id);
    const waiting = held.get(target.id) ?? [];
    held.delete(target.id);
    for (const request of waiting) target.send(showChannel, request);
  };
  ipcMain.on(showReadyChannel, onReady as never);

  return {
    send(target, request) {
      if (target.isDestroyed()) return;
      if (listening.has(target.id)) return target.send(showChannel, request);
      held.set(target.id, [...(held.get(target.id) ?? []), request]);
    },
    stop: () => ipcMain.removeListener(showReadyChannel, onReady as never),
  };
}
