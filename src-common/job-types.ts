/**
 * Job types and groups (the job-package API): what kinds of job Haul runs, with their
 * parameters, time limit and retry policy. A group is one of Haul's queues.
 */
import { z } from 'zod';
import { queueNames } from './jobs';

export const JobTypeInfo = z.object({
  /** `download`, `plugin:<plugin>:<action>` (group first, as the job-package API writes it), or a generic job's own type. */
  typeId: z.string(),
  name: z.string(),
  description: z.string(),
  /** The group its jobs run in: a queue (`download`, `plugin`), or `task` for jobs their creator runs. */
  group: z.enum(queueNames),
  source: z.string(),
  /** Longest a run may take; 0: no limit (a download is watched for stalls instead). */
  timeoutSec: z.number().int().min(0),
  /** Automatic retries after the first attempt. */
  maxRetries: z.number().int().min(0),
  /** Delay before the first retry; later ones back off exponentially. */
  retryDelaySec: z.number().min(0),
  suspendable: z.boolean(),
  /** The parameters a job of this type takes, as JSON Schema. */
  paramsSchema: z.record(z.string(), z.unknown()),
});
export type JobTypeInfo = z.infer<typeof JobTypeInfo>;

export const JobGroupInfo = z.object({
  name: z.enum(queueNames),
  /** The queue its jobs wait in (the same name: each group is one queue; tasks wait for their creator). */
  queue: z.enum(queueNames),
  description: z.string(),
  /** Jobs of the group that run at once; null: no limit (a task runs when its creator runs it). */
  capacity: z.number().int().min(1).nullable(),
});
export type JobGroupInfo = z.infer<typeof JobGroupInfo>;

export const JobTypesOutput = z.object({ types: z.array(JobTypeInfo), groups: z.array(JobGroupInfo) });
