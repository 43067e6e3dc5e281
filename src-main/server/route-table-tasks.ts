import type { CommandRoute } from './route-table';

/** A task route: one command, answered bare (the job-queue and job-package APIs' shapes). */
export interface TaskRoute extends CommandRoute {
  /** The status of a success. @default 200 */
  okStatus?: number;
}

const creatorRoute = (verb: 'start' | 'progress' | 'complete' | 'fail' | 'suspend', summary: string): TaskRoute => ({
  method: 'POST',
  url: `/v1/jobs/:id/${verb}`,
  command: `jobs.${verb}`,
  summary,
  input: 'body',
  params: ['id'],
});

/**
 * Tasks over REST: a script creates a job, reports on it and finishes it. Every answer is
 * the task itself, whose `control` says what the user asked for (continue, pause,
 * suspend, cancel). Pause, resume and cancel are the common job routes.
 */
export const taskRoutes: readonly TaskRoute[] = [
  {
    method: 'POST',
    url: '/v1/jobs',
    command: 'jobs.create',
    summary:
      'Creates a task: a job the caller runs and reports on (job-queue API). `start: true` starts it at once; ' +
      'the same `idempotencyKey` answers the first task. Answers 201 with the task. Also takes the job-package ' +
      "API's body: `type`, `idempotency_key`, `params` (kept as `metadata.params`), `timeout_sec`, `max_retries`, " +
      '`retry_delay_sec`; with any of them `name` defaults to `type`; one field under both names is a 400 naming it.',
    input: 'body',
    okStatus: 201,
  },
  creatorRoute('start', 'The creator starts the task (again, after a retry delay or a resume): pending → running.'),
  creatorRoute(
    'progress',
    'A report: `progress` (0-100), `message`, `metadata` (merged; null removes a key), `state` (a checkpoint). ' +
      'Every report is a heartbeat. The answer is the task; act on its `control`.',
  ),
  creatorRoute('complete', 'The task succeeded, with an optional `result` object.'),
  creatorRoute('fail', 'The attempt failed with `message`; with retries left the task waits `retryDelaySec`.'),
  creatorRoute(
    'suspend',
    'Suspends a task created with `suspendable: true` (job-package API): a running one stops at its next ' +
      'report; with `state` it is suspended at once. Any other task: 409 conflict.',
  ),
];
