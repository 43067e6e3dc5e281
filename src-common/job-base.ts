/** What every job source shares: its error and its common fields. */
import { z } from 'zod';

/** Why a job failed. `transient` ones are retried automatically with backoff. */
export const jobErrorKinds = [
  'network',
  'http',
  'timeout',
  'stalled',
  'disk',
  'checksum',
  'invalid_input',
  'interrupted',
  'plugin',
  /** A task's creator reported the failure (jobs.fail). */
  'reported',
  'internal',
] as const;
export const JobError = z.object({
  kind: z.enum(jobErrorKinds),
  message: z.string(),
  /** HTTP status, when the failure was an answer from the server. */
  status: z.number().int().optional(),
});
export type JobError = z.infer<typeof JobError>;

/** The fields of every job, whatever its source. */
export const JobCommon = {
  id: z.string(),
  progress: z.number().min(0).max(100),
  message: z.string(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  updatedAt: z.number(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  error: JobError.nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  idempotencyKey: z.string().nullable(),
};
