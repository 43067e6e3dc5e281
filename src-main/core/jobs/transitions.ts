import type { DownloadStatus, Job, PluginStatus } from '../../../src-common/contract';
import { HaulError } from '../errors';

/**
 * Every legal status change, written down once. A transition not listed here is refused
 * with `conflict`; nothing else in the code changes a job's status.
 */
export const downloadTransitions = {
  start: { from: ['pending'], to: 'downloading' },
  process: { from: ['downloading'], to: 'processing' },
  complete: { from: ['processing'], to: 'completed' },
  fail: { from: ['pending', 'downloading', 'processing'], to: 'failed' },
  /** A transient failure with attempts left: back to the queue after a backoff. */
  retryLater: { from: ['downloading', 'processing'], to: 'pending' },
  pause: { from: ['pending', 'downloading'], to: 'paused' },
  resume: { from: ['paused'], to: 'pending' },
  cancel: { from: ['pending', 'downloading', 'processing', 'paused'], to: 'cancelled' },
  retry: { from: ['failed', 'cancelled'], to: 'pending' },
  /** After a restart: the work stopped mid-way and starts again from its saved bytes. */
  recover: { from: ['downloading', 'processing'], to: 'pending' },
} as const satisfies Record<string, { from: readonly DownloadStatus[]; to: DownloadStatus }>;

export const pluginTransitions = {
  start: { from: ['pending'], to: 'running' },
  complete: { from: ['running'], to: 'completed' },
  fail: { from: ['pending', 'running'], to: 'failed' },
  cancel: { from: ['pending', 'running'], to: 'cancelled' },
  retry: { from: ['failed', 'cancelled'], to: 'pending' },
  /** After a restart: the plugin code that ran it is gone, so it fails as `interrupted`. */
  interrupt: { from: ['pending', 'running'], to: 'failed' },
} as const satisfies Record<string, { from: readonly PluginStatus[]; to: PluginStatus }>;

export type DownloadTransition = keyof typeof downloadTransitions;
export type PluginTransition = keyof typeof pluginTransitions;
export type TransitionName = DownloadTransition | PluginTransition;

const verbs: Partial<Record<TransitionName, string>> = {
  retryLater: 'retry',
  recover: 'recover',
  process: 'process',
};

/** The status `name` leads to from `job`'s current status; throws `conflict` when illegal. */
export function nextStatus(job: Pick<Job, 'source' | 'status' | 'id'>, name: TransitionName): Job['status'] {
  const table: Record<string, { from: readonly string[]; to: string }> =
    job.source === 'download' ? downloadTransitions : pluginTransitions;
  const rule = table[name];
  const noun = job.source === 'download' ? 'download' : 'plugin job';
  if (!rule) throw new HaulError('conflict', `A ${noun} cannot be ${verbs[name] ?? name}d.`);
  if (!rule.from.includes(job.status)) {
    throw new HaulError(
      'conflict',
      `Cannot ${verbs[name] ?? name} job ${job.id}: the ${noun} is ${job.status}` +
        ` (only possible when ${rule.from.join(' or ')}).`,
    );
  }
  return rule.to as Job['status'];
}
