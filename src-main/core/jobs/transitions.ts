import {
  isFinishedStatus,
  statusLabels,
  type DownloadJob,
  type PluginJob,
  type TaskJob,
  type DownloadStatus,
  type Job,
  type JobStatus,
  type PluginStatus,
  type TaskStatus,
} from '../../../src-common/contract';
import { HaulError } from '../errors';
import type { StoredJob } from '../store/job-store';

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

/**
 * Tasks: the creator drives running and the outcome; any client may pause, suspend,
 * resume and cancel, which the creator reads in `control`.
 */
export const taskTransitions = {
  /** The creator starts an attempt (a resumed or retried task is started again the same way). */
  start: { from: ['pending'], to: 'running' },
  pause: { from: ['pending', 'running'], to: 'paused' },
  /** Resume of a task paused while running: its creator is still there, waiting. */
  unpause: { from: ['paused'], to: 'running' },
  /** Resume of a task paused before it started, or suspended: waits for its creator. */
  requeue: { from: ['paused', 'suspended'], to: 'pending' },
  /** Asked to suspend while running: stops at its next checkpoint. */
  requestSuspend: { from: ['running'], to: 'suspending' },
  suspend: { from: ['pending', 'paused', 'suspending', 'running'], to: 'suspended' },
  complete: { from: ['pending', 'running', 'paused', 'suspending'], to: 'completed' },
  fail: { from: ['pending', 'running', 'paused', 'suspending'], to: 'failed' },
  /** A failed attempt with retries left: waits `retryDelaySec`, then its creator starts it again. */
  retryLater: { from: ['running', 'paused', 'suspending'], to: 'pending' },
  timeout: { from: ['running', 'paused', 'suspending'], to: 'timeout' },
  cancel: { from: ['pending', 'running', 'paused', 'suspending', 'suspended'], to: 'cancelled' },
  retry: { from: ['failed', 'cancelled', 'timeout'], to: 'pending' },
} as const satisfies Record<string, { from: readonly TaskStatus[]; to: TaskStatus }>;

export type DownloadTransition = keyof typeof downloadTransitions;
export type PluginTransition = keyof typeof pluginTransitions;
export type TaskTransition = keyof typeof taskTransitions;
export type TransitionName = DownloadTransition | PluginTransition | TaskTransition;

const verbs: Partial<Record<TransitionName, string>> = {
  retryLater: 'retry',
  recover: 'recover',
  process: 'process',
  unpause: 'resume',
  requeue: 'resume',
  requestSuspend: 'suspend',
  timeout: 'time out',
};

/** The status `name` leads to from `job`'s current status; throws `conflict` when illegal. */
export function nextStatus(job: Pick<Job, 'source' | 'status' | 'id'>, name: TransitionName): Job['status'] {
  const table: Record<string, { from: readonly string[]; to: string }> =
    job.source === 'download' ? downloadTransitions : job.source === 'plugin' ? pluginTransitions : taskTransitions;
  const rule = table[name];
  const noun = { download: 'download', plugin: 'plugin job', task: 'task' }[job.source];
  const verb = verbs[name] ?? name;
  if (!rule) throw new HaulError('conflict', `A ${noun} cannot be ${verb.endsWith('e') ? `${verb}d` : `${verb}ed`}.`);
  if (!rule.from.includes(job.status)) {
    // In the words the UI shows ("queued", not "pending").
    const said = (status: string) => statusLabels[status as JobStatus].toLowerCase();
    const allowed = rule.from.map(said);
    const when = allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}` : allowed[0];
    throw new HaulError(
      'conflict',
      `Cannot ${verb} job ${job.id}: the ${noun} is ${said(job.status)} (only possible when ${when}).`,
    );
  }
  return rule.to as Job['status'];
}

/** What a transition or an update may change of a job. */
export type JobPatch = Partial<Omit<DownloadJob, 'id' | 'source' | 'status'>> &
  Partial<Omit<PluginJob, 'id' | 'source' | 'status'>> &
  Partial<Omit<TaskJob, 'id' | 'source' | 'status' | 'type'>>;

/** What a transition changes beside the job: its retry time and the engine's resume state. */
export interface TransitionExtras {
  notBefore?: number | null;
  resumeState?: Record<string, unknown> | null;
}

/** The entry a legal transition to `to` makes of `current`, with `fields` and `extras` applied. */
export function movedEntry(
  current: StoredJob,
  to: JobStatus,
  fields: JobPatch,
  extras: TransitionExtras,
  now: number,
): StoredJob {
  // Not parsed again: the job was valid, the patch is typed and what came from outside
  // in it (a task's report, a plugin's result) was checked at the door. A parse here
  // cost about 130 µs a transition in a running process (cold, between other work).
  const job = {
    ...current.job,
    ...fields,
    status: to,
    updatedAt: now,
    startedAt: fields.startedAt !== undefined ? fields.startedAt : current.job.startedAt,
    finishedAt: isFinishedStatus(to) ? now : null,
  } as Job;
  return {
    job,
    position: current.position,
    live: true,
    notBefore: extras.notBefore !== undefined ? extras.notBefore : current.notBefore,
    resumeState: extras.resumeState !== undefined ? extras.resumeState : current.resumeState,
  };
}
