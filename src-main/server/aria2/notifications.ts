/**
 * aria2's WebSocket notifications from Haul's job events: a download that starts,
 * pauses, is removed, completes or fails is announced once with its GID.
 */
import type { DownloadJob } from '../../../src-common/contract';
import type { Aria2Core } from './gids';
import { statusOf, type Aria2Status } from './shapes';

export type NotificationName =
  | 'aria2.onDownloadStart'
  | 'aria2.onDownloadPause'
  | 'aria2.onDownloadStop'
  | 'aria2.onDownloadComplete'
  | 'aria2.onDownloadError';

const announced: Partial<Record<Aria2Status, NotificationName>> = {
  active: 'aria2.onDownloadStart',
  paused: 'aria2.onDownloadPause',
  removed: 'aria2.onDownloadStop',
  complete: 'aria2.onDownloadComplete',
  error: 'aria2.onDownloadError',
};

export interface Notification {
  jsonrpc: '2.0';
  method: NotificationName;
  params: [{ gid: string }];
}

/**
 * Follows the job stream and calls `send` for each aria2 event. Only a change of aria2
 * status counts: progress updates and downloading -> processing say nothing.
 */
export function followJobs(core: Aria2Core, send: (notification: Notification) => void): { close(): void } {
  const subscription = core.events.subscribe();
  const last = new Map<string, Aria2Status>();

  const see = (job: DownloadJob) => {
    const status = statusOf[job.status];
    const before = last.get(job.id);
    last.set(job.id, status);
    // The first sight of a job (at start or after a resync) is a baseline, except a new
    // job that is already running.
    if (before === status || (before === undefined && status !== 'active')) return;
    const method = announced[status];
    if (method) send({ jsonrpc: '2.0', method, params: [{ gid: core.gids.gidOf(job.id) }] });
  };

  void (async () => {
    let first = true;
    for await (const event of subscription) {
      if (event.event === 'init') {
        const live = new Set(event.data.jobs.map((job) => job.id));
        for (const id of [...last.keys()]) if (!live.has(id)) last.delete(id);
        // The first init only sets the baseline; a later one (a resync) also announces changes.
        for (const job of event.data.jobs) {
          if (first) last.set(job.id, statusOf[job.status]);
          else see(job);
        }
        first = false;
      } else if (event.event === 'removed') {
        last.delete(event.data.job.id);
      } else if (event.event === 'added' || event.event === 'updated') {
        see(event.data.job);
      }
    }
  })();

  return { close: () => subscription.close() };
}
