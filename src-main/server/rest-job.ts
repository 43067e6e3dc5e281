import type { Job } from '../../src-common/contract';

/**
 * A job as the REST routes and the job WebSocket show it: Haul's fields, plus the names the
 * job-queue and job-package APIs read: `jobId` (the same id), `name` (what the panel shows)
 * and `type` (the id of its job type in GET /v1/job-types).
 */
export type RestJob = Job & { jobId: string; name: string; type: string };

export function jobTypeId(job: Job): string {
  if (job.source === 'download') return 'download';
  // A task's type is the free-form one its creator gave (job-queue API).
  return job.source === 'task' ? job.type : `plugin:${job.pluginName}:${job.actionId}`;
}

/** What the job panel calls a job. */
export function jobName(job: Job): string {
  if (job.source === 'download') return job.fileName ?? job.url;
  return job.source === 'task' ? job.name : job.label;
}

export function restJob(job: Job): RestJob {
  return { ...job, jobId: job.id, name: jobName(job), type: jobTypeId(job) };
}

/** `type=plugin:<plugin>:<action>` filters by the action, which is what SQLite keeps of a plugin job's type. */
export function typeFilter(type: string): string {
  return /^plugin:[^:]+:(.+)$/.exec(type)?.[1] ?? type;
}
