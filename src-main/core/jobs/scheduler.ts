import { rm } from 'node:fs/promises';
import type { DownloadJob, Job, PluginJob } from '../../../src-common/contract';
import type { Clock } from '../clock';
import { HaulError } from '../errors';
import type { BackoffOptions } from './backoff';
import { failureOutcome } from './failure-outcome';
import { Headway } from './headway';
import type { StoredJob } from '../store/job-store';
import type { JobRegistry } from './registry';
import { runPluginAttempt } from './plugin-attempt';
import { toJobError, type DownloadOutcome, type DownloadRunner, type PluginJobRunner, type StopReason } from './runner';

/** Where a finished download ended up: its library resource, and its path and name after hooks. */
export interface AfterDownloadResult {
  resourceId?: number | null;
  path?: string;
  fileName?: string;
}

/**
 * What happens after a download's bytes are verified: the library resource, then hooks.
 * `record`: the writes left to make (the resource, when no hook has to see it first),
 * made in the transaction that completes the job.
 */
export type AfterDownload = (
  job: DownloadJob,
  outcome: DownloadOutcome,
) => Promise<AfterDownloadResult & { record?: () => AfterDownloadResult }>;

export interface SchedulerOptions {
  registry: JobRegistry;
  clock: Clock;
  downloadRunner: DownloadRunner;
  pluginRunner: PluginJobRunner;
  afterDownload?: AfterDownload;
  slots: { download: number; plugin: number };
  /** Deadline of an async plugin job (event-stream API). @default 5 minutes */
  pluginTimeoutMs?: number;
  backoff?: BackoffOptions;
}

interface RunningWork {
  controller: AbortController;
  settled: Promise<void>;
  source: 'download' | 'plugin';
  pluginName?: string;
  /**
   * A download whose bytes are all in (syncing, hashing, renaming) no longer holds its
   * slot: the slots are for transfers, and the next download starts while the disk
   * finishes this one. At most `processingPerSlot` times the slots are processing so at
   * once; past that each takes a slot again.
   */
  processing?: boolean;
  /**
   * Its completion waits for the shared commit at the end of the event loop's turn (see
   * transitionSoon): no transfer and no disk work left, so it counts as neither.
   */
  committing?: boolean;
}

/**
 * Downloads processing without a slot, per slot. A small answer's processing step claims
 * its name, writes, syncs and renames the file (about 13 ms here, against about 9 ms for
 * its transfer), so with one processing per slot the disk's side held the slots back;
 * the bound keeps a slow disk from piling up work (and held bytes, at most 256 KiB each).
 */
const processingPerSlot = 4;

/**
 * How long a download's completion waits for others to share its commit while more
 * downloads are in flight. The completions of a burst touch the same pages (the newest
 * entries of the indexes of status and times, the library's table), written once a
 * commit: in 500 files of 64 KiB, three at a time, a turn's commit took one to three and
 * SQLite appended 11 pages a file to its WAL (6.6 with this window). A completion with no
 * other download in flight commits at the end of its turn, and takes those waiting with it.
 */
export const completionWindowMs = 20;

/**
 * How long a download waits for its server to be reachable again (the network down: a
 * laptop between networks, a router restarting) before its attempts count again.
 */
const networkWaitMs = 30 * 60_000;

/** Ignores a transition that lost a race (the user paused or cancelled meanwhile). */
function quietly(action: () => void): void {
  try {
    action();
  } catch (error) {
    if (!(error instanceof HaulError) || (error.kind !== 'conflict' && error.kind !== 'not_found')) throw error;
  }
}

/**
 * Queues with slots: downloads in priority then queue order, plugin jobs in submission
 * order and one at a time per plugin. Starts work when a slot frees up, retries transient
 * failures with backoff, and stops work through AbortSignals.
 */
export class Scheduler {
  private readonly running = new Map<string, RunningWork>();
  private readonly headway = new Headway();
  /** Jobs whose leftovers are being removed: none starts again before that is done. */
  private readonly clearing = new Map<string, Promise<void>>();
  private wakeTimer: unknown;
  private wakeAt = Infinity;
  private stopped = false;
  slots: { download: number; plugin: number };

  constructor(private readonly options: SchedulerOptions) {
    this.slots = { ...options.slots };
  }

  setSlots(slots: Partial<{ download: number; plugin: number }>): void {
    this.slots = { ...this.slots, ...slots };
    this.pump();
  }

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /** Starts whatever fits in the free slots. Cheap to call often. */
  pump(): void {
    if (this.stopped) return;
    const { registry, clock } = this.options;
    // A slot stays taken until its work has settled, even if the job was removed meanwhile.
    const busy = { download: 0, plugin: 0 };
    const busyPlugins = new Set<string>();
    let processing = 0;
    for (const run of this.running.values()) {
      if (run.committing) continue;
      if (run.processing) processing += 1;
      else busy[run.source] += 1;
      if (run.pluginName !== undefined) busyPlugins.add(run.pluginName);
    }
    // Processing beyond its share each takes a slot again: the disk is the limit then.
    busy.download += Math.max(0, processing - processingPerSlot * this.slots.download);
    // The common case under load: every slot taken, nothing to look at.
    if (busy.download >= this.slots.download && busy.plugin >= this.slots.plugin) return;
    const now = clock.now();
    let nextWake = Infinity;
    // The queue is kept in start order: read as far as the free slots need, no further.
    // A waiting job further down needs no wake-up: the slots are full until one frees.
    const ready: StoredJob[] = [];
    const free = this.slots.download - busy.download;
    for (const entry of free > 0 ? registry.pendingDownloads() : []) {
      if (ready.length >= free) break;
      if (this.running.has(entry.job.id) || this.clearing.has(entry.job.id)) continue;
      if (entry.notBefore !== null && entry.notBefore > now) {
        nextWake = Math.min(nextWake, entry.notBefore);
        continue;
      }
      ready.push(entry);
    }
    for (const entry of ready) {
      busy.download += 1;
      this.startDownload(entry.job as DownloadJob);
    }

    const live = registry.pendingJobs();

    const plugins = live
      .filter((s) => s.job.source === 'plugin' && s.job.status === 'pending' && !this.running.has(s.job.id))
      .sort((a, b) => a.job.createdAt - b.job.createdAt || a.position - b.position);
    for (const { job } of plugins) {
      if (busy.plugin >= this.slots.plugin) break;
      const pluginJob = job as PluginJob;
      if (busyPlugins.has(pluginJob.pluginName)) continue;
      busy.plugin += 1;
      busyPlugins.add(pluginJob.pluginName);
      this.startPluginJob(pluginJob);
    }
    this.scheduleWake(nextWake);
  }

  private scheduleWake(at: number): void {
    if (at === Infinity || at >= this.wakeAt) return;
    if (this.wakeTimer !== undefined) this.options.clock.clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = this.options.clock.setTimeout(() => {
      this.wakeTimer = undefined;
      this.wakeAt = Infinity;
      this.pump();
    }, at - this.options.clock.now());
  }

  /**
   * Another download still transfers or processes: a completion now is not the last of
   * its burst. Plugin jobs do not count: one running for minutes holds no completion back.
   */
  private othersInFlight(): boolean {
    for (const run of this.running.values()) if (run.source === 'download' && !run.committing) return true;
    return false;
  }

  private releaseSlot(id: string): void {
    const run = this.running.get(id);
    if (!run || run.processing) return;
    run.processing = true;
    this.pump();
  }

  private track(job: DownloadJob | PluginJob, controller: AbortController, work: Promise<void>): void {
    const id = job.id;
    const settled = work.finally(() => {
      this.running.delete(id);
      this.pump();
      // However the burst ended (the last download failed, was paused or cancelled), the
      // completions waiting for others to share their commit have none left to wait for.
      if (!this.othersInFlight()) this.options.registry.commitWaiting();
    });
    const pluginName = job.source === 'plugin' ? job.pluginName : undefined;
    this.running.set(id, { controller, settled, source: job.source, pluginName });
  }

  private startDownload(queued: DownloadJob): void {
    const { registry, clock } = this.options;
    const id = queued.id;
    const controller = new AbortController();
    // Held: written with the job's next transition (its completion, failure or stop) or the
    // progress flush within a second; the name the download takes is written at once
    // without it. A crash before that finds the job pending, as recovery would have made
    // it, with that name and its resume state; only the attempt is not counted.
    const job = registry.transition(
      id,
      'start',
      {
        attempts: queued.attempts + 1,
        startedAt: queued.startedAt ?? clock.now(),
        message: 'Connecting…',
        error: null,
        speed: 0,
        eta: null,
      },
      { notBefore: null },
      { held: true },
    ) as DownloadJob;
    this.headway.started(queued);
    this.track(job, controller, this.runDownload(job, controller.signal));
  }

  private async runDownload(job: DownloadJob, signal: AbortSignal): Promise<void> {
    const { registry, downloadRunner, afterDownload } = this.options;
    const id = job.id;
    try {
      const outcome = await downloadRunner({
        // A live view: the engine rereads options (the speed limit) while it runs.
        get job() {
          const current = registry.stored(id)?.job;
          return current?.source === 'download' ? current : job;
        },
        signal,
        resumeState: registry.stored(id)?.resumeState ?? null,
        saveState: (state, durable) => {
          if (durable) registry.saveDurably(id, state, durable.fileName);
          else registry.saveResumeState(id, state);
        },
        progress: (p) => {
          const percent = p.totalBytes ? Math.min(99.9, (p.receivedBytes / p.totalBytes) * 100) : 0;
          const progress = Math.round(percent * 10) / 10;
          if (signal.aborted) {
            // Paused: the job shows the bytes its part keeps, not the last report before.
            if (signal.reason === 'paused') registry.update(id, { receivedBytes: p.receivedBytes, progress });
            return;
          }
          const eta = p.totalBytes && p.speed > 0 ? Math.ceil((p.totalBytes - p.receivedBytes) / p.speed) : null;
          registry.update(id, {
            receivedBytes: p.receivedBytes,
            totalBytes: p.totalBytes,
            speed: p.speed,
            eta,
            connections: p.connections,
            progress,
            ...(p.fileName !== undefined ? { fileName: p.fileName } : {}),
            ...(p.finalUrl !== undefined ? { finalUrl: p.finalUrl } : {}),
            message: p.message ?? 'Downloading',
          });
        },
        log: (line) => registry.log(id, line),
        // Held: written with `complete` a moment later. A crash in between finds the job
        // downloading, which recovery resumes exactly as it would a processing one.
        enterProcessing: () => {
          if (!signal.aborted) {
            registry.transition(id, 'process', { message: 'Verifying…', speed: 0, eta: null }, {}, { held: true });
            this.releaseSlot(id);
          }
        },
      });
      if (signal.aborted) return await unpublish(signal, outcome.path);
      if (registry.get(id).status === 'downloading') {
        registry.transition(id, 'process', { message: 'Processing…' }, {}, { held: true });
      }
      const current = registry.get(id) as DownloadJob;
      const after = afterDownload ? await afterDownload(current, outcome) : {};
      if (signal.aborted) return await unpublish(signal, after.path ?? outcome.path);
      const completed = (where: AfterDownloadResult) => ({
        progress: 100,
        receivedBytes: outcome.totalBytes,
        totalBytes: outcome.totalBytes,
        fileName: where.fileName ?? outcome.fileName,
        finalUrl: outcome.finalUrl,
        speed: 0,
        eta: null,
        connections: 0,
        resourceId: where.resourceId ?? null,
        message: 'Completed',
        result: { path: where.path ?? outcome.path, contentType: outcome.contentType, sha256: outcome.sha256 },
      });
      const { record } = after;
      const run = this.running.get(id);
      if (run) {
        run.committing = true;
        this.pump();
      }
      this.headway.forget(id);
      const withinMs = !this.stopped && this.othersInFlight() ? completionWindowMs : 0;
      await registry.transitionSoon(
        id,
        'complete',
        record ? () => completed(record()) : completed(after),
        { resumeState: null },
        { withinMs },
      );
    } catch (error) {
      if (signal.aborted) return;
      this.settleFailure(registry.get(id), error);
    }
  }

  private settleFailure(job: Job, error: unknown): void {
    const { registry, clock } = this.options;
    const failure = toJobError(error);
    registry.log(job.id, `attempt ${job.attempts} failed: ${failure.message}`);
    // An attempt that got further than any before it is not counted (see Headway).
    const headway = job.source === 'download' && failure.transient && job.maxAttempts > 1 && this.headway.made(job);
    if (headway) registry.log(job.id, `it got further than any before, to ${job.receivedBytes} bytes: not counted`);
    let unreached: number | undefined;
    // A download allowed one attempt only is not retried for the network either.
    if (job.source === 'download' && failure.unreachable && job.maxAttempts > 1) {
      unreached = this.headway.unreachable(job.id, clock.now(), networkWaitMs);
      if (unreached !== undefined)
        registry.log(job.id, 'its server could not be reached: not counted while the network is down');
    } else {
      this.headway.reached(job.id);
    }
    const outcome = failureOutcome(job, failure, headway, this.options.backoff, unreached);
    if (!outcome.retry) this.headway.forget(job.id);
    quietly(() =>
      outcome.retry
        ? registry.transition(
            job.id,
            'retryLater',
            outcome.patch,
            { notBefore: clock.now() + outcome.delay },
            { orHold: true },
          )
        : registry.transition(job.id, 'fail', outcome.patch, {}, { orHold: true }),
    );
  }

  private startPluginJob(queued: PluginJob): void {
    const { registry, clock, pluginRunner } = this.options;
    const id = queued.id;
    const controller = new AbortController();
    const job = registry.transition(
      id,
      'start',
      { attempts: queued.attempts + 1, startedAt: queued.startedAt ?? clock.now(), error: null },
      {},
      { orHold: true },
    ) as PluginJob;
    const timeoutMs = this.options.pluginTimeoutMs ?? 5 * 60_000;
    const work = runPluginAttempt({ registry, clock, pluginRunner, timeoutMs }, job, controller).then((end) => {
      if (end.ended === 'failed') return this.settleFailure(registry.get(id), end.failure);
      if (end.ended === 'stopped') return;
      const { result } = end;
      // A plugin's own summary ("SHA-256 matches") says more than a generic word.
      const message = typeof result?.message === 'string' && result.message ? result.message.slice(0, 500) : 'Done';
      quietly(() =>
        registry.transition(id, 'complete', { progress: 100, result: result ?? {}, message }, {}, { orHold: true }),
      );
    });
    // A completion that throws (not a refusal) is the job's failure, never an unhandled rejection.
    this.track(
      job,
      controller,
      work.catch((error: unknown) => this.settleFailure(registry.get(id), error)),
    );
  }

  /** Stops a running job's work; the caller makes the matching transition. */
  stop(id: string, reason: StopReason): void {
    this.headway.forget(id);
    this.running.get(id)?.controller.abort(reason);
  }

  /**
   * Runs `cleanup` once the job's attempt, if one runs, has settled; the job does not
   * start again before it is done (a retry right after a cancel must not find the part
   * file the cancel is removing, and take a numbered name beside it).
   */
  afterStop(id: string, cleanup: () => Promise<void>): void {
    const attempt = this.running.get(id)?.settled ?? Promise.resolve();
    const done: Promise<void> = attempt
      .catch(() => undefined)
      .then(cleanup)
      .catch(() => undefined)
      .finally(() => {
        if (this.clearing.get(id) === done) this.clearing.delete(id);
        this.pump();
      });
    this.clearing.set(id, done);
  }

  /** Stops everything (quit): partial downloads are kept for resume on the next start. */
  async shutdown(timeoutMs = 4000): Promise<void> {
    this.stopped = true;
    if (this.wakeTimer !== undefined) this.options.clock.clearTimeout(this.wakeTimer);
    const settled = [...this.running.values()].map((r) => {
      r.controller.abort('shutdown' satisfies StopReason);
      return r.settled;
    });
    // Completions waiting for their window commit now, and any after this at once.
    this.options.registry.commitWaiting();
    await Promise.race([Promise.allSettled(settled), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }
}

/**
 * A download cancelled while its finished file was being published: the job says
 * cancelled, so the file goes too (a pause keeps it, and the next attempt finds it).
 */
async function unpublish(signal: AbortSignal, path: string): Promise<void> {
  if (signal.reason === 'cancelled') await rm(path, { force: true });
}
