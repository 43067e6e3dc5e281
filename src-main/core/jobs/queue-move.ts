import type { DownloadJob } from '../../../src-common/contract';
import { HaulError } from '../errors';
import type { JobRegistry } from './registry';

export type QueueMove = 'top' | 'up' | 'down' | 'bottom';

/** A waiting download's new place, and its new priority when it moved next to others'. */
export interface QueuePlace {
  id: string;
  position: number;
  priority?: number;
}

/**
 * The waiting downloads (pending or paused) in their new order once `id` moved `to`. They
 * share among themselves the positions they held, so the downloads running or finished
 * between them keep their places in the queue's order. The moved job takes its new
 * neighbour's priority, so that the scheduler's order (priority first) keeps the place it
 * was given.
 */
export function queueAfterMove(registry: JobRegistry, id: string, to: QueueMove): QueuePlace[] {
  const queue = registry
    .liveJobs()
    .filter((s) => s.job.source === 'download' && (s.job.status === 'pending' || s.job.status === 'paused'))
    .sort((a, b) => (b.job as DownloadJob).priority - (a.job as DownloadJob).priority || a.position - b.position);
  const positions = queue.map((s) => s.position).sort((a, b) => a - b);
  const index = queue.findIndex((s) => s.job.id === id);
  if (index < 0) throw new HaulError('conflict', `Job ${id} is not waiting in the download queue.`);
  const [entry] = queue.splice(index, 1);
  const target = {
    top: 0,
    up: Math.max(0, index - 1),
    down: Math.min(queue.length, index + 1),
    bottom: queue.length,
  }[to];
  queue.splice(target, 0, entry!);
  const neighbour = queue[target + 1] ?? queue[target - 1];
  return queue.map((s, i) => ({
    id: s.job.id,
    position: positions[i]!,
    ...(s.job.id === id && neighbour ? { priority: (neighbour.job as DownloadJob).priority } : {}),
  }));
}
