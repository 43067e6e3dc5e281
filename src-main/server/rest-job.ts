import type { Job } from '../../src-common/contract';
import { seedJobFields, type SeedJobFields } from './seed-job-package';

/**
 * A job as the REST routes and the job WebSocket show it: Haul's fields, plus the names the
 * job-queue and job-package APIs read: `jobId` (the same id), `name` (what the panel shows)
 * and `type` (the id of its job type in GET /v1/job-types). A task has its own name and type.
 * The job-package API's snake_case fields come beside them (seed-job-package.ts).
 */
export type RestJob = Job & SeedJobFields & { jobId: string; name: string; type: string };

export function jobTypeId(job: Job): string {
  if (job.source === 'download') return 'download';
  return job.source === 'plugin' ? `plugin:${job.pluginName}:${job.actionId}` : job.type;
}

export function restJob(job: Job): RestJob {
  // Haul's own fields win where the seed's name is taken: a download's `eta`, a plugin job's `params`.
  const seed = seedJobFields(job);
  if (job.source === 'task') return { ...seed, ...job, jobId: job.id };
  const name = job.source === 'download' ? (job.fileName ?? job.url) : job.label;
  return { ...seed, ...job, jobId: job.id, name, type: jobTypeId(job) };
}

/** `type=plugin:<plugin>:<action>` filters by the action, which is what SQLite keeps of a plugin job's type. */
export function typeFilter(type: string): string {
  return /^plugin:[^:]+:(.+)$/.exec(type)?.[1] ?? type;
}
