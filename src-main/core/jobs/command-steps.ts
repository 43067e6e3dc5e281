import type { DownloadJob, Job, PluginJob } from '../../../src-common/contract';
import { HaulError } from '../errors';
import type { JobRegistry } from './registry';
import type { PluginJobRunner, ResumeState } from './runner';
import type { Scheduler } from './scheduler';
import type { TaskCenter } from './task-center';
import type { JobPatch, TransitionExtras, TransitionName } from './transitions';

/** A user's command that changes a job's status (see JobCenter.each). */
export type UserCommand = 'pause' | 'resume' | 'cancel' | 'retry';

/** What a user's command changes of a job, and what follows once the change is written. */
export interface CommandStep {
  name: TransitionName;
  patch: JobPatch | (() => JobPatch);
  extras?: TransitionExtras;
  after: (job: Job) => void;
}

/** What the steps read and act on: the job center's parts. */
export interface StepDeps {
  registry: JobRegistry;
  scheduler: Scheduler;
  tasks: TaskCenter;
  pluginRunner: PluginJobRunner;
  /** Removes a stopped download's partial file (see JobCenterOptions.discardPart). */
  discardPart: (job: DownloadJob, part: ResumeState) => Promise<void>;
}

/**
 * What `command` changes of a job and what follows once it is written; a task's own
 * center makes the change at once (its job is answered).
 */
export function commandStep(command: UserCommand, job: Job, deps: StepDeps): CommandStep | { job: Job } {
  if (job.source === 'task') return { job: deps.tasks[command](job.id) };
  if (command === 'cancel') return cancelStep(job, deps);
  if (command === 'retry') return retryStep(job, deps);
  if (job.source !== 'download') {
    const why = command === 'pause' ? 'paused; cancel it instead' : 'paused or resumed';
    throw new HaulError('conflict', `Plugin jobs cannot be ${why}.`);
  }
  if (command === 'pause') {
    return {
      name: 'pause',
      patch: { speed: 0, eta: null, connections: 0, message: 'Paused' },
      after: () => deps.scheduler.stop(job.id, 'paused'),
    };
  }
  // A pause is not a failed attempt: the resumed download has its attempts again.
  return {
    name: 'resume',
    patch: { message: 'Queued', attempts: 0 },
    extras: { notBefore: null },
    after: () => deps.scheduler.pump(),
  };
}

function cancelStep(job: DownloadJob | PluginJob, deps: StepDeps): CommandStep {
  // A running attempt removes the part it has open; one cancelled before it opened the
  // part (its request still out) leaves it: removed here once the attempt has stopped.
  let kept: ResumeState | null = null;
  const patch =
    job.source === 'download'
      ? { speed: 0, eta: null, connections: 0, message: 'Cancelled' }
      : { message: 'Cancelled' };
  return {
    name: 'cancel',
    // Read as the change is made: the part is the one the job has then.
    patch: () => {
      if (job.source === 'download') kept = deps.registry.stored(job.id)?.resumeState ?? null;
      return patch;
    },
    extras: { resumeState: null, notBefore: null },
    after: () => {
      deps.scheduler.stop(job.id, 'cancelled');
      const part = kept;
      if (job.source === 'download' && part) deps.scheduler.afterStop(job.id, () => deps.discardPart(job, part));
      if (job.source === 'plugin') deps.pluginRunner.release(job.id);
    },
  };
}

function retryStep(job: DownloadJob | PluginJob, deps: StepDeps): CommandStep {
  if (job.source === 'plugin') {
    const refusal = deps.pluginRunner.refusal(job);
    if (refusal !== undefined) throw new HaulError('conflict', refusal);
  }
  return {
    name: 'retry',
    // Read as the change is made: a download without a resume state starts again.
    patch: () => {
      const stored = deps.registry.stored(job.id);
      const restart = job.source === 'download' && !stored?.resumeState;
      return {
        attempts: 0,
        error: null,
        message: 'Queued',
        progress: restart ? 0 : (stored?.job.progress ?? job.progress),
        ...(restart ? { receivedBytes: 0 } : {}),
      };
    },
    extras: { notBefore: null },
    after: () => deps.scheduler.pump(),
  };
}
