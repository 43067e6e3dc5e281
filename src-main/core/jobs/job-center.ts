import type { Database } from 'better-sqlite3';
import {
  isFinishedStatus,
  type CommandOutput,
  type DownloadJob,
  type Job,
  type ListInput,
  type ParsedInput,
  type PluginJob,
} from '../../../src-common/contract';
import { systemClock, type Clock } from '../clock';
import { HaulError, noLineTaken } from '../errors';
import type { SettingsStore } from '../settings';
import { JobStore } from '../store/job-store';
import { HistoryPruner, type LeftoverPart } from '../store/history-pruner';
import type { BackoffOptions } from './backoff';
import { commandStep, type StepDeps, type UserCommand } from './command-steps';
import { listDownloads } from './download-list';
import { EventHub } from './event-hub';
import { cryptoHex, newDownloadId, newPluginJobId, type RandomHex } from './ids';
import { newPluginJob, type PluginJobSpec } from './plugin-job';
import { queueCounts } from './queue-counts';
import { queueAfterMove, type QueueMove } from './queue-move';
import { removeJobs, type RemovalDeps } from './job-removal';
import { ClaimLog } from '../store/claim-log';
import { JobRegistry } from './registry';
import { recoverAfterRestart, startRetention, type RetentionOptions } from './retention';
import type { DownloadRunner, PluginJobRunner, ResumeState } from './runner';
import { Scheduler, type AfterDownload } from './scheduler';
import { TaskCenter } from './task-center';
import { nextStatus } from './transitions';
import { parseUrlLines, submittedDownloads } from './submit';

export interface JobCenterOptions {
  db: Database;
  settings: SettingsStore;
  downloadDir: string;
  downloadRunner: DownloadRunner;
  /** What plugin jobs run: the plugin host. */
  pluginRunner: PluginJobRunner;
  afterDownload?: AfterDownload;
  clock?: Clock;
  random?: RandomHex;
  pluginTimeoutMs?: number;
  backoff?: BackoffOptions;
  retention?: Partial<RetentionOptions>;
  throttleMs?: { download: number; plugin: number };
  /** Events a subscriber may have waiting before it is resynchronised. @default 100 */
  eventBufferSize?: number;
  /** After a restart, how long running tasks without a heartbeat wait for their creator. @default 300 */
  taskRestartGraceSec?: number;
  /** Called at each status change (held in memory or committed): the jobs are busy writing. */
  onWrite?: () => void;
  /** The file downloads' claims are logged to (see ClaimLog); without it, each is a commit of its own. */
  claimLogFile?: string;
  /**
   * Removes the partial file a stopped download kept in `dir` for its next attempt, once
   * none will come: cancelled (once its attempt, if one ran, has stopped), removed, or
   * deleted from the history.
   */
  discardPart?: (dir: string, resumeState: ResumeState) => Promise<void>;
}

/** The job center: one model, one scheduler and one event stream for both sources. */
export class JobCenter {
  readonly clock: Clock;
  readonly store: JobStore;
  readonly hub: EventHub;
  readonly registry: JobRegistry;
  readonly scheduler: Scheduler;
  /** Tasks: jobs that scripts and plugins create and drive. */
  readonly tasks: TaskCenter;
  private readonly random: RandomHex;
  private stopRetention: (() => void) | undefined;
  /** What a user's command and a removal act on (see command-steps.ts, job-removal.ts). */
  private readonly parts: StepDeps & RemovalDeps;
  private readonly claims: ClaimLog | undefined;

  constructor(private readonly options: JobCenterOptions) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? cryptoHex;
    this.store = new JobStore(options.db);
    this.hub = new EventHub({
      clock: this.clock,
      snapshot: () => this.registry.snapshot(),
      throttleMs: options.throttleMs,
      bufferSize: options.eventBufferSize,
    });
    this.claims = options.claimLogFile === undefined ? undefined : new ClaimLog(options.claimLogFile);
    this.registry = new JobRegistry(options.db, this.store, this.hub, this.clock, options.onWrite, this.claims);
    const settings = options.settings.get();
    this.scheduler = new Scheduler({
      registry: this.registry,
      clock: this.clock,
      downloadRunner: options.downloadRunner,
      pluginRunner: options.pluginRunner,
      afterDownload: options.afterDownload,
      slots: { download: settings.maxConcurrentDownloads, plugin: settings.maxConcurrentPluginJobs },
      pluginTimeoutMs: options.pluginTimeoutMs,
      backoff: options.backoff,
    });
    this.tasks = new TaskCenter({
      registry: this.registry,
      clock: this.clock,
      newId: () => newPluginJobId(this.random),
      byIdempotencyKey: (key) => this.store.byIdempotencyKey(key),
      restartGraceSec: options.taskRestartGraceSec,
    });
    this.parts = {
      registry: this.registry,
      scheduler: this.scheduler,
      tasks: this.tasks,
      pluginRunner: options.pluginRunner,
      cancel: (ids) => this.each('cancel', ids),
      discardPart: (job, part) => this.discardPart(job, part),
    };
    options.settings.onChange((next) =>
      this.scheduler.setSlots({ download: next.maxConcurrentDownloads, plugin: next.maxConcurrentPluginJobs }),
    );
  }

  /**
   * Loads the live list, brings back what a crash interrupted, and starts the queues.
   * Answers a notice for each stored job that could not be read.
   */
  start(): string[] {
    const unreadable = this.registry.load();
    // What a crash left in the claim log, before anything resumes.
    if (this.claims) this.registry.restoreClaims(this.claims.readClaims());
    recoverAfterRestart(this.registry);
    this.tasks.recover();
    const pruner = new HistoryPruner(this.options.db, (parts) => void this.discardLeftovers(parts));
    this.stopRetention = startRetention(this.registry, pruner, this.clock, {
      ...this.options.retention,
      expiryDays: () => this.options.settings.get().jobExpiryDays,
    });
    this.scheduler.pump();
    return unreadable;
  }

  /**
   * `allowedHosts`: the hosts every hop of these downloads must be on (a plugin's grant),
   * kept with each job and checked by the engine on each request and redirect.
   */
  submit(
    input: ParsedInput<'downloads.submit'>,
    limits: { allowedHosts?: readonly string[] } = {},
  ): CommandOutput<'downloads.submit'> {
    if (input.idempotencyKey) {
      // As they are now: a live job's status and progress may be held in memory, unwritten.
      const replay = this.store
        .byIdempotencyFamily(input.idempotencyKey)
        .map(({ job }) => this.registry.stored(job.id)?.job ?? job);
      const other = replay.find((job) => job.source !== 'download');
      if (other) throw new HaulError('conflict', `The idempotency key is already used by job ${other.id}.`);
      if (replay.length > 0) return { jobs: replay as DownloadJob[], invalid: [] };
    }
    const settings = this.options.settings.get();
    const { jobs: made, refused } = submittedDownloads(input, parseUrlLines(input.url), {
      now: this.clock.now(),
      firstPosition: this.store.nextPosition(),
      newId: () => newDownloadId(this.random),
      activeDownloadOf: (url) => this.registry.activeDownloadOf(url),
      defaults: { maxAttempts: settings.defaultMaxAttempts, dir: settings.downloadDir ?? this.options.downloadDir },
      allowedHosts: limits.allowedHosts,
    });
    if (made.length === 0) throw noLineTaken('url', refused);
    const entries = made.map((job) => ({
      job,
      position: job.position,
      live: true,
      notBefore: null,
      resumeState: null,
    }));
    const jobs = this.registry.addMany(entries, {
      newId: () => newDownloadId(this.random),
      alike: true,
    }) as DownloadJob[];
    this.scheduler.pump();
    return { jobs, invalid: refused.sort((a, b) => a.line - b.line) };
  }

  /**
   * Queues a plugin job. `bind` sees the new job before it can start, for what the plugin
   * runner must know about it (a haul.startJob's function).
   */
  createPluginJob(spec: PluginJobSpec, bind?: (job: PluginJob) => void): PluginJob {
    if (spec.idempotencyKey) {
      const earlier = this.store.byIdempotencyKey(spec.idempotencyKey)?.job;
      const same = earlier?.source === 'plugin' && earlier.pluginName === spec.pluginName;
      if (earlier && same && earlier.actionId === spec.actionId) return this.registry.get(earlier.id) as PluginJob;
      if (earlier) throw new HaulError('conflict', `The idempotency key is already used by job ${earlier.id}.`);
    }
    const job = newPluginJob(spec, newPluginJobId(this.random), this.clock.now());
    // Stored first: the insert may give it another id when this one is taken.
    const added = this.registry.add({ job, position: 0, live: true, notBefore: null, resumeState: null }, () =>
      newPluginJobId(this.random),
    );
    bind?.(added as PluginJob);
    this.scheduler.pump();
    return added as PluginJob;
  }

  /** Adds a line to the log of a job of `pluginName`; a job that is not that plugin's is left alone. */
  logPluginJob(id: string, pluginName: string, line: string): void {
    const job = this.registry.stored(id)?.job;
    if (job?.source === 'plugin' && job.pluginName === pluginName) this.registry.log(id, line);
  }

  pause(id: string): Job {
    return this.now('pause', id);
  }

  resume(id: string): Job {
    return this.now('resume', id);
  }

  cancel(id: string): Job {
    return this.now('cancel', id);
  }

  retry(id: string): Job {
    return this.now('retry', id);
  }

  /**
   * `command` on each of `ids`, in order: the changes made in one turn of the event loop
   * commit together (see JobRegistry.transitionSoon), where each on its own took a
   * transaction: 5,000 downloads paused 50 a turn took 0.74-0.80 s, nearly all of it
   * commits, and take 0.33-0.34 s (cancelled: 0.68-0.71 s, now 0.13 s). Each is checked
   * as it is asked (a refusal costs the others nothing) and again at the commit.
   * Answers, for each id, the error that refused it, or null.
   */
  async each(command: UserCommand, ids: readonly string[]): Promise<(unknown | null)[]> {
    const done = ids.map((id) => {
      try {
        const step = commandStep(command, this.registry.get(id), this.parts);
        if (!('name' in step)) return Promise.resolve(null);
        nextStatus(this.registry.get(id), step.name);
        return this.registry
          .transitionSoon(id, step.name, step.patch, step.extras, { orHold: false })
          .then((job) => (step.after(job), null));
      } catch (error) {
        return Promise.resolve(error);
      }
    });
    return Promise.all(done.map((answer) => answer.catch((error: unknown) => error)));
  }

  /** `command` on one job, in a transaction of its own. */
  private now(command: UserCommand, id: string): Job {
    const step = commandStep(command, this.registry.get(id), this.parts);
    if (!('name' in step)) return step.job;
    const job = this.registry.transition(id, step.name, step.patch, step.extras);
    step.after(job);
    return job;
  }

  /**
   * A finished download's file now at `path` under `fileName` (a plugin moved it): the
   * job says so at once, so that opening it, showing it in its folder or deleting it with
   * the job reaches that file, not whatever comes to hold its old name.
   */
  fileMoved(id: string, resourceId: number, path: string, fileName: string): void {
    const job = this.registry.stored(id)?.job;
    if (job?.source !== 'download' || job.resourceId !== resourceId || !job.result) return;
    this.registry.update(id, { fileName, result: { ...job.result, path } });
    this.registry.flushProgress();
  }

  async remove(id: string, deleteFile = false): Promise<void> {
    const [error] = await this.removeEach([id], deleteFile);
    if (error !== null) throw error;
  }

  /**
   * `remove` for each of `ids`, in order: the unfinished are cancelled together (see
   * `each`), the jobs then leave SQLite in one transaction (all refused when it throws), and
   * their partial files, and with `deleteFile` their files, are deleted one after another.
   * 5,000 cancelled downloads took 0.66-0.70 s one by one and take 0.32-0.33 s; 5,000
   * paused ones 1.21-1.33 s, now 0.43-0.44 s. Answers, for each id, the error that refused
   * it, or null; `kept` hears of each removed job whose file was left (see
   * deleteDownloadedFile), by its place in `ids`.
   */
  removeEach(
    ids: readonly string[],
    deleteFile = false,
    kept: (index: number, why: string) => void = () => undefined,
  ): Promise<(unknown | null)[]> {
    return removeJobs(ids, deleteFile, kept, this.parts);
  }

  private async discardPart(job: DownloadJob, state: ResumeState): Promise<void> {
    try {
      await this.options.discardPart?.(job.dir, state);
    } catch (error) {
      // Removed with its job, the log too: nobody is left to tell.
      if (this.registry.stored(job.id)) {
        this.registry.log(job.id, `The partial file could not be removed: ${(error as Error).message}`);
      }
    }
  }

  /** Moves a queued download within the download queue (top, up, down, bottom). */
  move(id: string, to: QueueMove): string[] {
    const queue = queueAfterMove(this.registry, id, to);
    this.registry.reorder(queue);
    this.scheduler.pump();
    return queue.map((place) => place.id);
  }

  /** A download's own speed limit, in bytes per second (0: none); applies while it runs. */
  setSpeedLimit(id: string, speedLimit: number): Job {
    const job = this.registry.get(id);
    if (job.source !== 'download') throw new HaulError('conflict', 'Only downloads have a speed limit.');
    const { speedLimit: _previous, ...rest } = job.options;
    const options = speedLimit > 0 ? { ...rest, speedLimit } : rest;
    const updated = this.registry.isLive(id) ? this.registry.update(id, { options }) : undefined;
    if (!updated) throw new HaulError('conflict', `Job ${id} is no longer in the live list.`);
    return updated;
  }

  /** Pauses every download that can pause (pending or downloading); see `all`. */
  pauseAll(): Promise<number> {
    return this.all('pause', (job) => job.status === 'pending' || job.status === 'downloading');
  }

  /** Resumes every paused download; see `all`. */
  resumeAll(): Promise<number> {
    return this.all('resume', (job) => job.status === 'paused');
  }

  /**
   * `command` on every live download `which` picks, the changes committed together (see
   * `each`): 5,000 paused downloads resumed a transaction each took 0.58-0.69 s, all of it
   * the main thread's, and take 0.11-0.23 s (paused: 0.40-0.45 s, now 0.11-0.15 s). Answers
   * how many changed; a job that changed meanwhile is left as it is, and anything else
   * that refused one (a full disk) is thrown.
   */
  private async all(command: 'pause' | 'resume', which: (job: DownloadJob) => boolean): Promise<number> {
    const ids = this.registry
      .liveJobs()
      .filter(({ job }) => job.source === 'download' && which(job))
      .map(({ job }) => job.id);
    const errors = await this.each(command, ids);
    const failure = errors.find(
      (error) => error !== null && !(error instanceof HaulError && error.kind === 'conflict'),
    );
    if (failure !== undefined) throw failure;
    return errors.filter((error) => error === null).length;
  }

  /** Takes completed jobs out of the live list; their history stays. */
  clearCompleted(): number {
    const done = this.registry.liveJobs().filter((s) => s.job.status === 'completed');
    for (const { job } of done) this.registry.retire(job.id);
    return done.length;
  }

  /** Deletes finished jobs older than `daysOld` days (job-queue API); active ones are kept. */
  cleanup(daysOld: number): number {
    const before = this.clock.now() - daysOld * 86_400_000;
    for (const { job } of this.registry.liveJobs()) {
      if (isFinishedStatus(job.status) && (job.finishedAt ?? job.updatedAt) < before) {
        this.registry.retire(job.id);
      }
    }
    const { removed, leftovers } = this.store.deleteFinishedBefore(before);
    void this.discardLeftovers(leftovers);
    return removed;
  }

  /** The partial files of downloads deleted from the history, one after another. */
  private async discardLeftovers(parts: readonly LeftoverPart[]): Promise<void> {
    for (const { dir, resumeState } of parts) {
      // Nobody is left to tell of a file that could not go: its job is gone.
      await this.options.discardPart?.(dir, resumeState).catch(() => undefined);
    }
  }

  /** Deletes the finished tasks of one plugin older than `daysOld` days (haul.jobs.cleanup). */
  cleanupTasksOf(pluginName: string, daysOld: number): number {
    const before = this.clock.now() - daysOld * 86_400_000;
    const mine = (job: Job) =>
      job.source === 'task' && job.createdBy === 'plugin' && job.creator === pluginName && isFinishedStatus(job.status);
    for (const { job } of this.registry.liveJobs()) {
      if (mine(job) && (job.finishedAt ?? job.updatedAt) < before) this.registry.retire(job.id);
    }
    return this.store.deleteFinishedTasksOf(pluginName, before);
  }

  list(filter: ListInput): { jobs: Job[]; total: number } {
    this.registry.flushProgress();
    const { jobs, total } = this.store.list(filter);
    return { jobs: jobs.map((s) => this.registry.stored(s.job.id)?.job ?? s.job), total };
  }

  listDownloads(query: ParsedInput<'downloads.list'>): CommandOutput<'downloads.list'> {
    return listDownloads(this.registry, this.store, query);
  }

  getWithLog(id: string): { job: Job; log: string[] } {
    return { job: this.registry.get(id), log: this.registry.readLog(id) };
  }

  logs(ids: readonly string[]): { logs: Record<string, string[]> } {
    return { logs: Object.fromEntries(ids.map((id) => [id, this.registry.readLog(id)])) };
  }

  queues(): CommandOutput<'jobs.queues'> {
    return queueCounts(this.registry, this.store, this.clock.now());
  }

  async close(): Promise<void> {
    this.stopRetention?.();
    this.tasks.close();
    await this.scheduler.shutdown();
    this.hub.flush();
    this.registry.flushProgress();
    this.claims?.close();
    this.hub.close();
  }
}
