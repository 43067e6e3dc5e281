import type { IpcMain, IpcMainEvent } from 'electron';
import type { CoreEvents, SequencedEvent, Subscription } from '../core/app';
import { jobEventChannels } from '../../src-common/contract';
import { isTrustedFrameUrl, type TrustedOrigin } from './trust';

/** Events sent in one IPC message at most. */
const batchSize = 200;

/** The part of a WebContents the forwarder uses. */
export interface EventTarget {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

type SubscribeEvent = Pick<IpcMainEvent, 'senderFrame'> & { sender: EventTarget };

/** Waits one turn so a burst of changes leaves in one message, not one per change. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function pump(subscription: Subscription, target: EventTarget): Promise<void> {
  for await (const first of subscription) {
    await nextTurn();
    if (target.isDestroyed()) break;
    const batch: SequencedEvent[] = [first];
    for (let next = subscription.poll(); next; next = batch.length < batchSize ? subscription.poll() : undefined) {
      batch.push(next);
    }
    target.send(jobEventChannels.events, batch);
  }
}

/**
 * Forwards the hub's job events to each of our windows that asks for them. Each window
 * has its own hub subscription: a bounded buffer that, when the page falls behind,
 * starts over from a fresh `init` instead of holding up the hub or other windows.
 * Returns the function that stops forwarding everywhere.
 */
export function registerJobEventForwarder(
  ipcMain: Pick<IpcMain, 'on' | 'removeListener'>,
  hub: Pick<CoreEvents, 'subscribe'>,
  trusted: TrustedOrigin,
): () => void {
  const windows = new Map<number, Subscription>();
  const watched = new Set<number>();

  const stop = (id: number) => {
    const subscription = windows.get(id);
    windows.delete(id);
    subscription?.close();
  };

  const onSubscribe = (event: SubscribeEvent) => {
    if (!isTrustedFrameUrl(event.senderFrame?.url, trusted)) return;
    const target = event.sender;
    const existing = windows.get(target.id);
    if (existing) {
      existing.requestInit(); // a new listener or a reloaded page: start it from a snapshot
      return;
    }
    const subscription = hub.subscribe();
    windows.set(target.id, subscription);
    if (!watched.has(target.id)) {
      watched.add(target.id);
      target.once('destroyed', () => {
        watched.delete(target.id);
        stop(target.id);
      });
    }
    void pump(subscription, target)
      .catch((error: unknown) => console.error('haul: job events to a window stopped', error))
      .finally(() => {
        if (windows.get(target.id) === subscription) stop(target.id);
        else subscription.close();
      });
  };

  const onUnsubscribe = (event: SubscribeEvent) => stop(event.sender.id);

  ipcMain.on(jobEventChannels.subscribe, onSubscribe as never);
  ipcMain.on(jobEventChannels.unsubscribe, onUnsubscribe as never);
  return () => {
    ipcMain.removeListener(jobEventChannels.subscribe, onSubscribe as never);
    ipcMain.removeListener(jobEventChannels.unsubscribe, onUnsubscribe as never);
    for (const subscription of windows.values()) subscription.close();
    windows.clear();
  };
}
