import { isFinishedStatus, type DownloadJob, type Job } from '../../../src-common/contract';
import { deleteDownloadedFile } from '../downloaded-file';
import { noSuchJob, type JobRegistry } from './registry';
import type { ResumeState } from './runner';
import type { Scheduler } from './scheduler';
import type { TaskCenter } from './task-center';

/** What removing jobs reads and acts on: the job center's parts. */
export interface RemovalDeps {
  registry: JobRegistry;
  scheduler: Scheduler;
  tasks: TaskCenter;
  /** Cancels the unfinished together; answers each one's refusal or null (see JobCenter.each). */
  cancel: (ids: readonly string[]) => Promise<(unknown | null)[]>;
  /** Removes a stopped download's partial file (see JobCenterOptions.discardPart). */
  discardPart: (job: DownloadJob, part: ResumeState) => Promise<void>;
}

/** Removes `ids`, as JobCenter.removeEach says. */
export async function removeJobs(
  ids: readonly string[],
  deleteFile: boolean,
  kept: (index: number, why: string) => void,
  deps: RemovalDeps,
): Promise<(unknown | null)[]> {
  const errors: (unknown | null)[] = ids.map(() => null);
  const jobs = ids.map((id, i) => {
    try {
      return deps.registry.get(id);
    } catch (error) {
      errors[i] = error;
      return null;
    }
  });
  const unfinished = ids.filter((_, i) => jobs[i] && !isFinishedStatus(jobs[i].status));
  const cancelled = await deps.cancel(unfinished);
  const refusedCancel = new Map(unfinished.map((id, k) => [id, cancelled[k]]));
  const leaving: { i: number; job: Job; path?: string; part?: ResumeState | null }[] = [];
  for (const [i, job] of jobs.entries()) {
    if (!job) continue;
    const refused = refusedCancel.get(job.id);
    if (refused) {
      errors[i] = refused;
      continue;
    }
    // The part its state names: a failed download keeps it for a retry that will not
    // come now (a cancel above has cleared its job's state and removes its own part).
    let part = job.source === 'download' ? (deps.registry.stored(job.id)?.resumeState ?? null) : null;
    // Cancelled a moment ago and still stopping (cancelling again would be refused), or
    // retried by another client while the cancels above were written: stopped, and its
    // part removed once it has (an attempt stopped before opening it leaves it).
    if (deps.scheduler.isRunning(job.id)) {
      deps.scheduler.stop(job.id, 'cancelled');
      const stopping = part;
      if (job.source === 'download' && stopping) {
        deps.scheduler.afterStop(job.id, () => deps.discardPart(job, stopping));
      }
      part = null;
    }
    if (job.source === 'task') deps.tasks.forget(job.id);
    const path = job.source === 'download' && typeof job.result?.path === 'string' ? job.result.path : undefined;
    leaving.push({ i, job, path, part });
  }
  try {
    const unknown = deps.registry.deleteMany(leaving.map(({ job }) => job.id));
    for (const { i, job } of leaving) if (unknown.has(job.id)) errors[i] = noSuchJob(job.id);
  } catch (error) {
    // Nothing of the transaction was written (its disk full): each is refused with why.
    for (const { i } of leaving) errors[i] = error;
  }
  for (const { i, job, path, part } of leaving) {
    if (errors[i] !== null) continue;
    if (job.source === 'download' && part) await deps.discardPart(job, part);
    if (!deleteFile || !path) continue;
    const why = await deleteDownloadedFile(path, job.source === 'download' ? job.totalBytes : null);
    if (why) kept(i, why);
  }
  return errors;
}
