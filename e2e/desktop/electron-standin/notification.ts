/** `Notification`: shown ones recorded; a test clicks one as the user would. */
import { EventEmitter } from 'node:events';
import { recorded, type NotificationRecord } from './record';

const live = new Map<number, Notification>();
let nextId = 1;

export class Notification extends EventEmitter {
  /** A Linux desktop with a notification server, which is what the journeys are about. */
  static isSupported(): boolean {
    return true;
  }

  private readonly record: NotificationRecord;

  constructor(options: { title?: string; body?: string } = {}) {
    super();
    this.record = { id: nextId++, title: options.title ?? '', body: options.body ?? '', shown: false, clicked: false };
    recorded.notifications.push(this.record);
    live.set(this.record.id, this);
  }

  show(): void {
    this.record.shown = true;
    this.emit('show', {});
  }

  close(): void {
    live.delete(this.record.id);
    this.emit('close', {});
  }

  /** The user clicked it: Electron emits 'click' (the notification stays alive while referenced). */
  click(): void {
    this.record.clicked = true;
    this.emit('click', {});
  }
}

export function notificationById(id: number): Notification {
  const notification = live.get(id);
  if (!notification) throw new Error(`no notification ${id}`);
  return notification;
}
