import { EventEmitter } from 'node:events';
import { z } from 'zod';
import type { PluginNotification } from '../../../src-common/contract';
import type { Clock } from '../clock';

/** How many notifications are kept for a shell that asks later. @default 200 */
const kept = 200;

const NotifyInput = z.object({
  title: z.string().min(1).max(200),
  body: z.string().max(2000),
  level: z.enum(['info', 'success', 'warning', 'error']),
});

/**
 * haul.notify: recorded here and emitted as `notification`; the shell (or the renderer
 * through plugins.notifications) decides how to show them.
 */
export class PluginNotifications extends EventEmitter<{ notification: [PluginNotification] }> {
  private readonly recent: PluginNotification[] = [];
  private nextId = 1;

  constructor(private readonly clock: Clock) {
    super();
  }

  add(pluginName: string, input: unknown): PluginNotification {
    const parsed = NotifyInput.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`notify: ${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`);
    }
    const note: PluginNotification = { id: this.nextId++, pluginName, ...parsed.data, at: this.clock.now() };
    this.recent.push(note);
    if (this.recent.length > kept) this.recent.shift();
    this.emit('notification', note);
    return note;
  }

  /** Newest first. */
  list(limit = 50): PluginNotification[] {
    return this.recent.slice(-limit).reverse();
  }
}
