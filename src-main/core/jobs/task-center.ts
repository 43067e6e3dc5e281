import {
  isFinishedStatus,
  type ParsedInput,
  type TaskControl,
  type TaskJob,
  type TaskStatus,
} from '../../../src-common/contract';
import type { Clock } from '../clock';
import { HaulError } from '../errors';
import type { StoredJob } from '../store/job-store';
import type { JobPatch, JobRegistry } from './registry';
import { TaskTimers } from './task-timers';
import { taskTransitions, type TaskTransition } from './transitions';

/** Who creates a task: a script over the API, or a plugin (its name is then the creator). */
export type TaskOrigin = { kind: 'api' } | { kind: 'plugin'; pluginName: string };

export interface TaskCenterOptions {
  registry: JobRegistry;
  clock: Clock;
  newId(): string;
  byIdempotencyKey(key: string): StoredJob | undefined;
  /**
   * After a restart, how long a running task without its own heartbeatSec waits for its
   * creator to report before it fails as stalled. @default 300
   */
  restartGraceSec?: number;
}

/** Scheduler bookkeeping kept beside the task (never shown): when its attempt must end. */
interface Bookkeeping {
  deadlineAt?: number;
  /** Left of the attempt's time when it was paused (paused time does not count). */
  remainingMs?: number;
  pausedFrom?: 'pending' | 'running';
}

/**
 * Metadata, state and results are small JSON by design: details to show, not a data
 * channel. A plugin job's result is held to the same (see PluginJobs).
 */
export const maxJsonChars = 64_000;

export function controlOf(status: TaskStatus): TaskControl {
  if (status === 'paused') return 'pause';
  if (status === 'suspending' || status === 'suspended') return 'suspend';
  if (status === 'pending' || status === 'running') return 'continue';
  return 'cancel';
}

function checkSize(field: string, value: unknown): void {
  if (value !== undefined && JSON.stringify(value).length > maxJsonChars) {
    throw new HaulError('invalid_input', `${field} is larger than ${maxJsonChars} characters of JSON.`, { field });
  }
}

/** Merges reported metadata into the task's: a key set to null is removed. */
export function mergeMetadata(base: Record<string, unknown>, update: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...base };
  for (const [key, value] of Object.entries(update)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/**
 * Tasks: jobs whose work runs elsewhere (a script, a plugin) and which the core only
 * keeps, times and reports. The creator's reports are its heartbeat; a creator silent
 * past `heartbeatSec` fails the task as stalled. Clients' pause, suspend, resume and
 * cancel are recorded at once and reach the creator as `control` on its next answer and
 * through the event stream.
 *
 * After a restart nothing is dropped: pending, paused and suspended tasks stay as they
 * were; running and suspending ones wait for their creator to report again (a script
 * may well still be running), for their heartbeatSec or `restartGraceSec`, and fail as
 * stalled when it does not.
 */
export class TaskCenter {
  private readonly timers: TaskTimers;
  private readonly listeners = new Set<(job: TaskJob) => void>();

  constructor(private readonly options: TaskCenterOptions) {
    this.timers = new TaskTimers(options.clock);
  }

  /** Hears every change a creator must act on (pause, resume, suspend, cancel, end). */
  onControl(listener: (job: TaskJob) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  create(input: ParsedInput<'jobs.create'>, origin: TaskOrigin): TaskJob {
    const { registry, clock } = this.options;
    if (input.idempotencyKey) {
      // A plugin's keys are `plugin:<name>:<its key>`: a script may not take one first.
      if (origin.kind === 'api' && input.idempotencyKey.startsWith('plugin:')) {
        throw new HaulError('invalid_input', 'idempotencyKey: keys starting with "plugin:" are kept for plugins.', {
          field: 'idempotencyKey',
        });
      }
      const earlier = this.options.byIdempotencyKey(input.idempotencyKey);
      const sameCreator =
        earlier?.job.source === 'task' &&
        earlier.job.createdBy === origin.kind &&
        (origin.kind === 'api' || earlier.job.creator === origin.pluginName);
      // The earlier task is answered only to whoever made it: its metadata may be private.
      if (sameCreator) return (registry.stored(earlier.job.id)?.job ?? earlier.job) as TaskJob;
      if (earlier) throw new HaulError('conflict', `The idempotency key is already used by job ${earlier.job.id}.`);
    }
    checkSize('metadata', input.metadata);
    const now = clock.now();
    const start = input.start === true;
    const creator = origin.kind === 'plugin' ? origin.pluginName : (input.creator ?? input.source ?? 'script');
    const job: TaskJob = {
      id: this.options.newId(),
      source: 'task',
      status: start ? 'running' : 'pending',
      progress: 0,
      message: start ? 'Running' : `Waiting for ${creator} to start it`,
      createdAt: now,
      startedAt: start ? now : null,
      finishedAt: null,
      updatedAt: now,
      attempts: start ? 1 : 0,
      maxAttempts: (input.maxRetries ?? 0) + 1,
      error: null,
      result: null,
      idempotencyKey: input.idempotencyKey ?? null,
      name: input.name,
      description: input.description ?? '',
      type: input.type ?? 'task',
      creator,
      createdBy: origin.kind,
      iconSvg: input.iconSvg ?? null,
      metadata: input.metadata ?? {},
      suspendable: input.suspendable ?? false,
      timeoutSec: input.timeoutSec ?? null,
      retryDelaySec: input.retryDelaySec ?? 0,
      heartbeatSec: input.heartbeatSec ?? null,
      lastReportAt: now,
      retryAt: null,
      control: 'continue',
      state: null,
    };
    const book: Bookkeeping = start && job.timeoutSec ? { deadlineAt: now + job.timeoutSec * 1000 } : {};
    const added = registry.add({ job, position: 0, live: true, notBefore: null, resumeState: { ...book } }, () =>
      this.options.newId(),
    ) as TaskJob;
    if (start) this.armRunning(added, book);
    return added;
  }

  /** A task by id; anything else is refused, naming what it is. */
  get(id: string): TaskJob {
    const job = this.options.registry.get(id);
    if (job.source !== 'task') {
      throw new HaulError('conflict', `Job ${id} is a ${job.source} job; only tasks take reports from their creator.`);
    }
    return job;
  }

  private book(id: string): Bookkeeping {
    return this.options.registry.stored(id)?.resumeState ?? {};
  }

  /** `orHold`: a timer's own transition, held in memory when SQLite cannot be written (see JobRegistry). */
  private move(
    id: string,
    name: TaskTransition,
    patch: JobPatch = {},
    book?: Bookkeeping,
    notBefore?: number | null,
    orHold = false,
  ) {
    const to = taskTransitions[name].to;
    const job = this.options.registry.transition(
      id,
      name,
      { ...patch, control: controlOf(to) },
      { ...(book ? { resumeState: { ...book } } : {}), ...(notBefore !== undefined ? { notBefore } : {}) },
      { orHold },
    ) as TaskJob;
    if (to !== 'running' && to !== 'suspending') this.timers.clear(id, 'heartbeat');
    if (to !== 'running' && to !== 'suspending') this.timers.clear(id, 'deadline');
    if (name !== 'start') for (const listener of this.listeners) listener(job);
    return job;
  }

  /** pending → running: an attempt starts (after any retry delay). Running already: a heartbeat. */
  start(id: string): TaskJob {
    const job = this.get(id);
    if (job.status === 'running') return this.report({ id });
    const waitUntil = job.retryAt ?? 0;
    if (job.status === 'pending' && waitUntil > this.options.clock.now()) {
      throw new HaulError(
        'conflict',
        `Task ${id} waits out its retry delay until ${new Date(waitUntil).toISOString()}; start it then.`,
      );
    }
    const now = this.options.clock.now();
    const book: Bookkeeping = job.timeoutSec ? { deadlineAt: now + job.timeoutSec * 1000 } : {};
    const started = this.move(
      id,
      'start',
      { attempts: job.attempts + 1, startedAt: now, lastReportAt: now, retryAt: null, message: 'Running' },
      book,
      null,
    );
    this.armRunning(started, book);
    return started;
  }

  /**
   * A report from the creator. Pending starts it; suspending takes this report as the
   * checkpoint and suspends; a suspended or finished task answers as it is, so the
   * creator reads `control` and stops.
   */
  report(input: ParsedInput<'jobs.progress'>): TaskJob {
    let job = this.get(input.id);
    if (job.status === 'suspended' || isFinishedStatus(job.status)) return job;
    checkSize('metadata', input.metadata);
    checkSize('state', input.state);
    if (job.status === 'pending') job = this.start(job.id);
    const now = this.options.clock.now();
    const patch: JobPatch = {
      lastReportAt: now,
      ...(input.progress !== undefined ? { progress: input.progress } : {}),
      ...(input.message !== undefined ? { message: input.message } : {}),
      ...(input.metadata ? { metadata: mergeMetadata(job.metadata, input.metadata) } : {}),
      ...(input.state ? { state: input.state } : {}),
    };
    if (job.status === 'suspending') return this.move(job.id, 'suspend', { ...patch, message: 'Suspended' });
    const updated = this.options.registry.update(job.id, patch) as TaskJob | undefined;
    if (!updated) throw new HaulError('conflict', `Task ${job.id} is no longer in the live list.`);
    // Without its own heartbeatSec, a first report after a restart ends the grace wait.
    if (updated.status === 'running' && updated.heartbeatSec === null) this.timers.clear(updated.id, 'heartbeat');
    else if (updated.status === 'running') this.armHeartbeat(updated);
    return updated;
  }

  complete(id: string, result?: Record<string, unknown>): TaskJob {
    this.get(id);
    checkSize('result', result);
    return this.move(id, 'complete', { progress: 100, result: result ?? {}, message: 'Completed' }, {});
  }

  /** Fails the attempt: with retries left (and `retry` not false) it waits `retryDelaySec` as pending. */
  fail(id: string, message: string, retry = true, kind: 'reported' | 'plugin' = 'reported'): TaskJob {
    const job = this.get(id);
    const error = { kind, message };
    const retryable = taskTransitions.retryLater.from.includes(job.status as never);
    if (retry && retryable && job.attempts < job.maxAttempts) {
      const retryAt = this.options.clock.now() + job.retryDelaySec * 1000;
      const wait = job.retryDelaySec > 0 ? `in ${job.retryDelaySec} s` : 'now';
      const failed = this.move(
        id,
        'retryLater',
        { error, retryAt, message: `Retrying ${wait} (attempt ${job.attempts} of ${job.maxAttempts}): ${message}` },
        {},
        retryAt,
      );
      this.armRetry(failed);
      return failed;
    }
    return this.move(id, 'fail', { error, message }, {});
  }

  pause(id: string): TaskJob {
    const job = this.get(id);
    const book = this.book(id);
    const now = this.options.clock.now();
    const remainingMs = book.deadlineAt !== undefined ? Math.max(0, book.deadlineAt - now) : undefined;
    return this.move(
      id,
      'pause',
      { message: 'Paused' },
      { pausedFrom: job.status === 'running' ? 'running' : 'pending', remainingMs },
    );
  }

  /** Paused while running: runs on (its creator is waiting). Paused before it started, or suspended: pending. */
  resume(id: string): TaskJob {
    const job = this.get(id);
    const book = this.book(id);
    const now = this.options.clock.now();
    if (job.status === 'paused' && book.pausedFrom === 'running') {
      const next: Bookkeeping = book.remainingMs !== undefined ? { deadlineAt: now + book.remainingMs } : {};
      const running = this.move(id, 'unpause', { message: 'Running', lastReportAt: now }, next);
      this.armRunning(running, next);
      return running;
    }
    const message =
      job.status === 'suspended'
        ? `Resumed: waiting for ${job.creator} to go on from its saved state`
        : `Waiting for ${job.creator} to start it`;
    return this.move(id, 'requeue', { message }, {});
  }

  /**
   * Suspends a task that declared `suspendable`. Running: it is asked to stop at its next
   * checkpoint (suspending); given `state` (the worker's own checkpoint) or not yet
   * running, it is suspended at once.
   */
  suspend(id: string, state?: Record<string, unknown>): TaskJob {
    const job = this.get(id);
    if (!job.suspendable) {
      throw new HaulError(
        'conflict',
        `Task ${id} cannot be suspended: it was not created with suspendable: true. Pause or cancel it instead.`,
      );
    }
    checkSize('state', state);
    if (job.status === 'suspended') return job;
    const saved = state ? { state } : {};
    if (job.status === 'running' && !state) return this.move(id, 'requestSuspend', { message: 'Suspending…' });
    if (job.status === 'suspending' && !state) return job;
    return this.move(id, 'suspend', { ...saved, message: 'Suspended' }, {});
  }

  cancel(id: string): TaskJob {
    this.get(id);
    this.timers.clear(id);
    return this.move(id, 'cancel', { message: 'Cancelled' }, {}, null);
  }

  retry(id: string): TaskJob {
    const job = this.get(id);
    return this.move(
      id,
      'retry',
      { attempts: 0, error: null, retryAt: null, message: `Waiting for ${job.creator} to start it` },
      {},
      null,
    );
  }

  /** Forgets a task's timers (it was deleted). */
  forget(id: string): void {
    this.timers.clear(id);
  }

  /** After a restart: every live task's clocks again (see the class comment). */
  recover(): void {
    const grace = (this.options.restartGraceSec ?? 300) * 1000;
    const now = this.options.clock.now();
    for (const { job, resumeState } of this.options.registry.liveJobs()) {
      if (job.source !== 'task') continue;
      if (job.status === 'running' || job.status === 'suspending') {
        const wait = job.heartbeatSec !== null ? job.heartbeatSec * 1000 : grace;
        this.options.registry.log(job.id, `Haul restarted: waiting ${wait / 1000} s for ${job.creator} to report`);
        const updated = this.options.registry.update(job.id, { lastReportAt: now }) as TaskJob;
        this.armHeartbeat(updated, wait);
        this.armDeadline(updated, resumeState ?? {});
      } else if (job.status === 'pending' && job.retryAt !== null) {
        this.armRetry(job);
      }
    }
  }

  close(): void {
    this.timers.closeAll();
  }

  private armRunning(job: TaskJob, book: Bookkeeping): void {
    this.armHeartbeat(job);
    this.armDeadline(job, book);
  }

  private armHeartbeat(job: TaskJob, waitMs = job.heartbeatSec !== null ? job.heartbeatSec * 1000 : undefined): void {
    if (waitMs === undefined) return;
    this.timers.arm(job.id, 'heartbeat', job.lastReportAt + waitMs, () =>
      this.quietly(() => {
        const current = this.get(job.id);
        if (current.status !== 'running' && current.status !== 'suspending') return;
        const message = `No report from ${current.creator} for ${Math.round(waitMs / 1000)} s: the task stalled.`;
        this.move(job.id, 'fail', { error: { kind: 'stalled', message }, message }, {}, undefined, true);
      }),
    );
  }

  private armDeadline(job: TaskJob, book: Bookkeeping): void {
    if (book.deadlineAt === undefined || job.timeoutSec === null) return;
    const limit = job.timeoutSec;
    this.timers.arm(job.id, 'deadline', book.deadlineAt, () =>
      this.quietly(() => {
        const message = `Ran longer than its ${limit} s time limit.`;
        this.move(job.id, 'timeout', { error: { kind: 'timeout', message }, message }, {}, undefined, true);
      }),
    );
  }

  /** Says so when the retry delay is over: the creator watching the stream may start again. */
  private armRetry(job: TaskJob): void {
    if (job.retryAt === null) return;
    this.timers.arm(job.id, 'retry', job.retryAt, () =>
      this.quietly(() => {
        const current = this.get(job.id);
        if (current.status !== 'pending') return;
        const updated = this.options.registry.update(job.id, {
          message: `Ready for attempt ${current.attempts + 1} of ${current.maxAttempts}: waiting for ${current.creator}`,
        }) as TaskJob | undefined;
        if (updated) for (const listener of this.listeners) listener(updated);
      }),
    );
  }

  /** A timer's transition may lose a race with a client's (cancel at the same moment): that is fine. */
  private quietly(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      if (!(error instanceof HaulError)) throw error;
    }
  }
}
