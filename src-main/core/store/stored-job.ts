import type { Job } from '../../../src-common/contract';

/** A job as kept in SQLite: the job itself and the scheduler's bookkeeping beside it. */
export interface StoredJob {
  job: Job;
  position: number;
  live: boolean;
  /** Not to be started before this time (retry backoff). */
  notBefore: number | null;
  resumeState: Record<string, unknown> | null;
}
