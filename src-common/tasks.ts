/**
 * Tasks: the third job source. A task is a job that something outside the job core
 * creates and drives: a local script over REST (`POST /v1/jobs`) or a plugin
 * (`haul.createJob`). Haul does not run its work; the creator reports progress, metadata
 * and the outcome, and learns from `control` what the user asked for (job-queue and
 * job-package APIs: seeds 003 and 004).
 *
 * Naming: a job's `source` is, everywhere in Haul, which kind of job it is ('download',
 * 'plugin', 'task'), and the event stream, the job list filter and SQLite all key on it.
 * The job-queue API also calls the creating plugin's or script's name `source`; here that
 * name is `creator`, so one field never means two things. `POST /v1/jobs` still accepts
 * `source` as the creator's name, as the seed writes it.
 */
import { z } from 'zod';
import { JobCommon } from './job-base';

/**
 * Haul's own names where they exist (pending, cancelled: the same as the other sources),
 * the job-package API's where Haul had none (suspending, suspended, timeout).
 * - pending: created, or waiting out a retry delay (`retryAt`), or resumed: waiting for
 *   its creator to start (again).
 * - running: the creator is working on it; its reports are its heartbeat.
 * - paused: a client asked it to pause; the creator is told `control: 'pause'`.
 * - suspending: a client asked a suspendable task to suspend; the creator stops at its next
 *   checkpoint (its next report, which answers `control: 'suspend'` and moves it on).
 * - suspended: stopped with its saved `state`; resume hands that state back.
 * - completed, failed (a stalled creator fails it with error kind `stalled`), cancelled,
 *   timeout (ran longer than `timeoutSec`): final.
 */
export const taskStatuses = [
  'pending',
  'running',
  'paused',
  'suspending',
  'suspended',
  'completed',
  'failed',
  'cancelled',
  'timeout',
] as const;
export type TaskStatus = (typeof taskStatuses)[number];

/**
 * What the creator should do now, in every answer to it and in every event:
 * continue working; pause (wait, reporting nothing, until it reads `continue` again);
 * suspend (save `state` and stop; a later run gets it back); cancel (stop for good:
 * the task was cancelled, timed out, stalled, or otherwise ended without the creator).
 */
export const taskControls = ['continue', 'pause', 'suspend', 'cancel'] as const;
export type TaskControl = (typeof taskControls)[number];

/** Creator-chosen JSON details shown beside the job (key/value lines). Merged on each report. */
export const TaskMetadata = z.record(z.string(), z.unknown());
/** Whatever a suspendable task needs to resume; opaque to Haul. */
export const TaskState = z.record(z.string(), z.unknown());

/** An SVG icon, kept as text and only ever shown as an image, never injected as markup. */
const IconSvg = z
  .string()
  .max(20_000)
  .refine((svg) => /^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/u.test(svg), 'must be an <svg> document');

export const TaskJob = z.object({
  ...JobCommon,
  source: z.literal('task'),
  status: z.enum(taskStatuses),
  name: z.string(),
  description: z.string(),
  /** Free-form kind of work (import, export, backup, sync...): groups tasks in job types. */
  type: z.string(),
  /** The plugin's name for plugin tasks, else the name the script gave (the seed's `source`). */
  creator: z.string(),
  /** `plugin` for haul.createJob, `api` for the REST route. */
  createdBy: z.enum(['api', 'plugin']),
  iconSvg: z.string().nullable(),
  metadata: TaskMetadata,
  /** May be suspended and resumed with its saved state. @default false */
  suspendable: z.boolean(),
  /** Running time allowed per attempt; then the task ends as `timeout`. null: no limit. */
  timeoutSec: z.number().int().nullable(),
  /** Wait between a failure with attempts left and the next attempt. @default 0 */
  retryDelaySec: z.number().int(),
  /** The creator must report at least this often while running, else it fails as stalled. null: never checked. */
  heartbeatSec: z.number().int().nullable(),
  /** Last time the creator reported (create, start, progress). */
  lastReportAt: z.number(),
  /** When a failed attempt may start again (status pending); null when not waiting. */
  retryAt: z.number().nullable(),
  control: z.enum(taskControls),
  /** The state saved at the last checkpoint of a suspendable task. */
  state: TaskState.nullable(),
});
export type TaskJob = z.infer<typeof TaskJob>;

const Limited = (max: number) => z.string().max(max);
/** `maxRetries` counts retries after the first attempt (job-package API). */
export const CreateTaskInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: Limited(2000).optional(),
    type: z.string().trim().min(1).max(100).optional(),
    /** The creator's name (job-queue API's `source`); `creator` is the same, Haul's name. */
    source: z.string().trim().min(1).max(100).optional(),
    creator: z.string().trim().min(1).max(100).optional(),
    iconSvg: IconSvg.optional(),
    metadata: TaskMetadata.optional(),
    /** A second create with the same key answers the first task, unchanged. */
    idempotencyKey: z.string().min(1).max(200).optional(),
    timeoutSec: z
      .number()
      .int()
      .min(1)
      .max(7 * 86_400)
      .optional(),
    maxRetries: z.number().int().min(0).max(100).optional(),
    retryDelaySec: z.number().int().min(0).max(86_400).optional(),
    heartbeatSec: z.number().int().min(1).max(86_400).optional(),
    suspendable: z.boolean().optional(),
    /** Start running at once (the REST creator usually does); else `pending` until start. @default false */
    start: z.boolean().optional(),
  })
  .strict();
export type CreateTaskInput = z.input<typeof CreateTaskInput>;

const TaskId = { id: z.string().regex(/^[0-9a-f]{16}$/, 'not a task id') };

export const TaskStartInput = z.object({ ...TaskId }).strict();
/**
 * A report from the creator. Every report is a heartbeat; all fields are optional, so an
 * empty one is just that. `metadata` is merged into the task's (a key set to null is removed).
 */
export const TaskProgressInput = z
  .object({
    ...TaskId,
    progress: z.number().min(0).max(100).optional(),
    message: Limited(500).optional(),
    metadata: TaskMetadata.optional(),
    /** A checkpoint of a suspendable task: what it needs to go on from here. */
    state: TaskState.optional(),
  })
  .strict();
export type TaskProgressInput = z.input<typeof TaskProgressInput>;
export const TaskCompleteInput = z.object({ ...TaskId, result: z.record(z.string(), z.unknown()).optional() }).strict();
export const TaskFailInput = z
  .object({
    ...TaskId,
    message: z.string().min(1).max(2000),
    /** false: fail for good even with retries left. @default true */
    retry: z.boolean().optional(),
  })
  .strict();
export const TaskSuspendInput = z.object({ ...TaskId, state: TaskState.optional() }).strict();

/**
 * The commands of tasks. Pause, resume and cancel are the common `jobs.pause`,
 * `jobs.resume`, `jobs.cancel` (for a task they are requests its creator reads in
 * `control`); cleanup is `jobs.cleanup`. Every creator command answers the task, with
 * `control` telling the creator what to do next.
 */
export const taskCommands = {
  /** Creates a task (idempotent with `idempotencyKey`). */
  'jobs.create': { input: CreateTaskInput, output: TaskJob },
  /** The creator starts (or, after a retry delay or a resume, starts again): pending → running. */
  'jobs.start': { input: TaskStartInput, output: TaskJob },
  /** A report: progress, message, metadata (merged), checkpoint state; always a heartbeat. */
  'jobs.progress': { input: TaskProgressInput, output: TaskJob },
  'jobs.complete': { input: TaskCompleteInput, output: TaskJob },
  /** Fails the attempt; with retries left the task waits `retryDelaySec` as pending. */
  'jobs.fail': { input: TaskFailInput, output: TaskJob },
  /**
   * Asks a suspendable task to suspend (running → suspending; a paused or pending one is
   * suspended at once); a task that is not suspendable answers `conflict`. `state`, when
   * given, is saved as the checkpoint.
   */
  'jobs.suspend': { input: TaskSuspendInput, output: TaskJob },
} as const;
