import type { Database } from 'better-sqlite3';
import {
  isFinishedStatus,
  Job,
  type DownloadJob,
  type PluginJob,
  type Snapshot,
  type TaskJob,
} from '../../../src-common/contract';
import type { Clock } from '../clock';
import { HaulError } from '../errors';
import { redactText } from './secrets';
import { isIdClash, type JobStore, type StoredJob } from '../store/job-store';
import { DownloadQueue } from './download-queue';
import type { EventHub } from './event-hub';
import { nextStatus, type TransitionName } from './transitions';

export type JobPatch = Partial<Omit<DownloadJob, 'id' | 'source' | 'status'>> &
  Partial<Omit<PluginJob, 'id' | 'source' | 'status'>> &
  Partial<Omit<TaskJob, 'id' | 'source' | 'status' | 'type'>>;

export interface TransitionExtras {
  notBefore?: number | null;
  resumeState?: Record<string, unknown> | null;
  position?: number;
}

/** A named transition asked for one job. */
interface Transition {
  id: string;
  name: TransitionName;
  patch: JobPatch | (() => JobPatch);
  extras: TransitionExtras;
}

export interface AddOptions {
  newId?: () => string;
  /**
   * The jobs were made by one builder from one input the door already parsed, and differ
   * only in values the builder sets (id, URL, position, key): the first is parsed with
   * the contract's schema, which checks the shape they share. @default false
   */
  alike?: boolean;
}

const activeStatuses = new Set(['pending', 'downloading', 'processing', 'paused']);

/** How often progress held in memory is written to SQLite. @default 1000 */
export const progressFlushMs = 1000;

/**
 * The live jobs and the one way to change them. Every status change is a named
 * transition: checked against the table inside a transaction, written, then emitted.
 * Progress is kept in memory, emitted through the hub's throttle, and written in
 * batches about once a second, never per chunk.
 */
export class JobRegistry {
  private readonly live = new Map<string, StoredJob>();
  /** Live jobs other than downloads waiting for a slot (status pending), for the scheduler. */
  private readonly pending = new Set<string>();
  /** Live downloads waiting for a slot, in the order they start. */
  private readonly queue = new DownloadQueue();
  /** Active downloads by URL, for the duplicate check at submit. */
  private readonly activeUrls = new Map<string, string>();
  /** Jobs changed in memory only, each with what SQLite holds for it. */
  private readonly dirty = new Map<string, StoredJob>();
  private flushTimer: unknown;
  /** Transitions waiting for their shared commit (see transitionSoon), with their callers. */
  private readonly grouped: (Transition & { resolve: (job: Job) => void; reject: (error: unknown) => void })[] = [];
  private groupCommit: ReturnType<typeof setImmediate> | undefined;

  constructor(
    private readonly db: Database,
    private readonly store: JobStore,
    private readonly hub: EventHub,
    private readonly clock: Clock,
    /** Called at each status change: the jobs are busy writing. */
    private readonly onWrite: () => void = () => undefined,
  ) {}

  private put(id: string, given: StoredJob): void {
    const entry =
      given.job.source === 'download' && given.job.position !== given.position
        ? { ...given, job: { ...given.job, position: given.position } }
        : given;
    const previous = this.live.get(id)?.job;
    if (previous?.source === 'download' && this.activeUrls.get(previous.url) === id)
      this.activeUrls.delete(previous.url);
    this.live.set(id, entry);
    const { job } = entry;
    if (job.source === 'download' && activeStatuses.has(job.status)) this.activeUrls.set(job.url, id);
    if (job.status !== 'pending') {
      this.pending.delete(id);
      this.queue.delete(id);
    } else if (job.source === 'download') this.queue.set(id, job.priority, entry.position);
    else this.pending.add(id);
  }

  private drop(id: string): void {
    const previous = this.live.get(id)?.job;
    if (previous?.source === 'download' && this.activeUrls.get(previous.url) === id)
      this.activeUrls.delete(previous.url);
    this.live.delete(id);
    this.pending.delete(id);
    this.queue.delete(id);
  }

  /** The id of the live download fetching `url` that is not finished, if any. */
  activeDownloadOf(url: string): string | undefined {
    return this.activeUrls.get(url);
  }

  /** Reads the live list from SQLite. */
  load(): void {
    for (const stored of this.store.loadLive()) this.put(stored.job.id, stored);
  }

  snapshot(): Snapshot {
    const jobs: DownloadJob[] = [];
    const actionJobs: PluginJob[] = [];
    const tasks: TaskJob[] = [];
    for (const { job } of this.live.values()) {
      if (job.source === 'download') jobs.push(job);
      else if (job.source === 'plugin') actionJobs.push(job);
      else tasks.push(job);
    }
    return { jobs, actionJobs, tasks };
  }

  /** Per source, the pending jobs waiting for a retry (`notBefore` after `now`): one pass, no copy. */
  retryingCounts(now: number): Record<Job['source'], number> {
    const counts = { download: 0, plugin: 0, task: 0 };
    for (const { job, notBefore } of this.live.values()) {
      if (job.status === 'pending' && notBefore !== null && notBefore > now) counts[job.source] += 1;
    }
    return counts;
  }

  liveJobs(): StoredJob[] {
    return [...this.live.values()];
  }

  /** The pending downloads in the order they start (priority, then position); stop early at will. */
  *pendingDownloads(): Generator<StoredJob> {
    for (const id of this.queue.ids()) {
      const entry = this.live.get(id);
      if (entry) yield entry;
    }
  }

  /** The live jobs other than downloads whose status is pending. */
  pendingJobs(): StoredJob[] {
    const out: StoredJob[] = [];
    for (const id of this.pending) {
      const entry = this.live.get(id);
      if (entry) out.push(entry);
    }
    return out;
  }

  /** A job from the live list, else from history. */
  stored(id: string): StoredJob | undefined {
    return this.live.get(id) ?? this.store.get(id);
  }

  get(id: string): Job {
    const stored = this.stored(id);
    if (!stored) throw new HaulError('not_found', `No job with id ${id}.`);
    return stored.job;
  }

  isLive(id: string): boolean {
    return this.live.has(id);
  }

  /** Adds a new job; `newId` as in addMany. */
  add(stored: StoredJob, newId?: () => string): Job {
    return this.addMany([stored], { newId })[0]!;
  }

  /**
   * Adds several jobs in one transaction: all are stored before any is announced. Ids
   * are random and not looked up first: `newId` names a job again when the insert finds
   * its id taken (one in four billion for a download's 8 hex digits).
   */
  addMany(entries: StoredJob[], options: AddOptions = {}): Job[] {
    const { newId, alike = false } = options;
    const first = entries[0] && Job.parse(entries[0].job);
    const parsed = entries.map((stored, i) => ({
      ...stored,
      job: i === 0 ? first! : alike ? stored.job : Job.parse(stored.job),
      live: true,
    }));
    const insert = () => this.store.insertMany(parsed, (entry) => this.insertFresh(entry, newId));
    // One row is one statement, atomic by itself. Outside a transaction SQLite runs it with
    // no statement journal; inside one, the text index's trigger makes it copy every page
    // the insert changes to a temp file first (about half of a one-job insert's CPU).
    if (parsed.length === 1) insert();
    else this.db.transaction(insert)();
    for (const entry of parsed) {
      this.put(entry.job.id, entry);
      this.hub.publish('added', entry.job, true);
    }
    return parsed.map((entry) => entry.job);
  }

  private insertFresh(entry: StoredJob, newId: (() => string) | undefined): void {
    for (let attempt = 1; ; attempt += 1) {
      try {
        this.store.insert(entry);
        return;
      } catch (error) {
        if (!newId || !isIdClash(error)) throw error;
        if (attempt >= 10) throw new HaulError('internal', 'Could not find a free job id.');
        entry.job = { ...entry.job, id: newId() };
      }
    }
  }

  /**
   * Applies the named transition: refused with `conflict` unless the table allows it
   * from the status stored in SQLite right now (or held in memory, see `held`).
   * `held`: the change is written with the job's next write (its next transition, or the
   * progress flush within a second) instead of in a transaction of its own. Only for a
   * status a crash may lose: one that recovery treats like the status before it.
   * `patch` given as a function is called inside the transaction, once the change is
   * known to be legal: what it writes (a library resource) commits with the change, or
   * not at all.
   */
  transition(
    id: string,
    name: TransitionName,
    patch: JobPatch | (() => JobPatch) = {},
    extras: TransitionExtras = {},
    options: { held?: boolean } = {},
  ): Job {
    this.onWrite();
    const call = { id, name, patch, extras };
    const now = this.clock.now();
    if (options.held && this.live.has(id)) {
      const { entry, written } = this.change(call, now);
      this.put(id, entry);
      this.markDirty(id, written);
      this.hub.publish('updated', entry.job, true);
      return entry.job;
    }
    return this.committed(id, this.db.transaction(() => this.save(call, now))());
  }

  /**
   * `transition`, for the completions of downloads: the calls of one turn of the event
   * loop commit together once the turn's I/O callbacks are done (with three downloads at
   * a time, a burst of small files finishes two or three a turn). One transaction for
   * them all; when one is refused or throws, it is undone and each commits or fails on
   * its own. Until that commit nothing of a call is in memory, emitted or answered: a
   * crash before it finds the job as it was (a finished download's recovery then finds
   * its published file, see downloads/published.ts), never a completion anyone saw. Each
   * is checked and made with its job as it is at the commit. A commit writes each page
   * its changes touch once, and completions side by side touch the same pages: the
   * newest entries of the indexes of status, times and progress, the library's table and
   * indexes (in a burst of small files, what SQLite writes to its WAL fell by half).
   */
  transitionSoon(
    id: string,
    name: TransitionName,
    patch: JobPatch | (() => JobPatch) = {},
    extras: TransitionExtras = {},
  ): Promise<Job> {
    return new Promise((resolve, reject) => {
      this.grouped.push({ id, name, patch, extras, resolve, reject });
      this.groupCommit ??= setImmediate(() => this.commitGrouped());
    });
  }

  /** Commits the transitions `transitionSoon` holds, at once. */
  commitGrouped(): void {
    if (this.groupCommit !== undefined) clearImmediate(this.groupCommit);
    this.groupCommit = undefined;
    const batch = this.grouped.splice(0);
    if (batch.length === 0) return;
    const now = this.clock.now();
    for (let i = 0; i < batch.length; i += 1) this.onWrite();
    let entries: StoredJob[];
    try {
      // No savepoint for each: SQLite first copies the pages a savepoint's statements
      // change to a statement journal, a temporary file, and that wrote about as much as
      // sharing the commit saved.
      entries = this.db.transaction(() => batch.map((call) => this.save(call, now)))();
    } catch {
      // One was refused or failed, and nothing was written: each commits, or fails, alone.
      for (const call of batch) {
        try {
          call.resolve(this.committed(call.id, this.db.transaction(() => this.save(call, now))()));
        } catch (error) {
          call.reject(error);
        }
      }
      return;
    }
    batch.forEach((call, i) => call.resolve(this.committed(call.id, entries[i]!)));
  }

  /** Makes a transition's change and writes it; call inside a transaction. */
  private save(call: Transition, now: number): StoredJob {
    const { entry, written } = this.change(call, now);
    this.store.save(entry, written);
    return entry;
  }

  /** A committed change: the live list and the event stream take it. */
  private committed(id: string, entry: StoredJob): Job {
    this.put(id, entry);
    this.dirty.delete(id);
    this.hub.publish('updated', entry.job, true);
    return entry.job;
  }

  /** A transition's new entry, checked against the table; `written`: what SQLite holds. */
  private change({ id, name, patch, extras }: Transition, now: number): { entry: StoredJob; written: StoredJob } {
    const current = this.live.get(id) ?? this.store.get(id);
    if (!current) throw new HaulError('not_found', `No job with id ${id}.`);
    const written = this.dirty.get(id);
    // A job changed in memory only may hold a status SQLite does not have yet.
    const status = written ? current.job.status : (this.store.statusOf(id) ?? current.job.status);
    const to = nextStatus({ ...current.job, status }, name);
    const finished = isFinishedStatus(to);
    const fields = typeof patch === 'function' ? patch() : patch;
    // Not parsed again: the job was valid, the patch is typed and what came from outside
    // in it (a task's report, a plugin's result) was checked at the door. A parse here
    // cost about 130 µs a transition in a running process (cold, between other work).
    const job = {
      ...current.job,
      ...fields,
      status: to,
      updatedAt: now,
      startedAt: fields.startedAt !== undefined ? fields.startedAt : current.job.startedAt,
      finishedAt: finished ? now : null,
    } as Job;
    const entry: StoredJob = {
      job,
      position: extras.position ?? current.position,
      live: true,
      notBefore: extras.notBefore !== undefined ? extras.notBefore : current.notBefore,
      resumeState: extras.resumeState !== undefined ? extras.resumeState : current.resumeState,
    };
    return { entry, written: written ?? current };
  }

  /** Progress and other non-status fields: in memory now, in SQLite within a second. */
  update(id: string, patch: JobPatch): Job | undefined {
    const current = this.live.get(id);
    if (!current) return undefined;
    const job = { ...current.job, ...patch, updatedAt: this.clock.now() } as Job;
    this.put(id, { ...current, job });
    this.markDirty(id, current);
    this.hub.publish('updated', job, false);
    return job;
  }

  /**
   * The engine's resume state, written at once (the engine saves it at most every 50 ms
   * per download): what a crash resumes from must not wait for the progress flush.
   * Clients never see it.
   */
  saveResumeState(id: string, resumeState: Record<string, unknown>): void {
    const current = this.live.get(id);
    if (!current) return;
    this.put(id, { ...current, resumeState });
    this.store.saveResumeState(id, resumeState);
  }

  /**
   * The resume state and `patch` (e.g. the name a download took), in SQLite before this
   * returns: what a crash must find. Changes held in memory (a download's start) stay
   * held, written with the job's next write: the status, start time and update time are
   * in six indexes, and rewriting their entries here as well as at the next transition
   * made this write three times as costly (about 270 against 90 µs).
   */
  saveDurably(id: string, resumeState: Record<string, unknown>, patch: JobPatch): void {
    const current = this.live.get(id);
    if (!current) return;
    const entry = { ...current, resumeState, job: { ...current.job, ...patch, updatedAt: this.clock.now() } as Job };
    const written = this.dirty.get(id);
    if (written) {
      const durable: StoredJob = { ...written, resumeState, job: { ...written.job, ...patch } };
      this.store.save(durable, written);
      this.dirty.set(id, durable);
    } else {
      this.store.save(entry, current);
    }
    this.put(id, entry);
    this.hub.publish('updated', entry.job, false);
  }

  /** Queue order and priority: written at once, since the user asked for them. */
  reorder(changes: { id: string; position: number; priority?: number }[]): void {
    const now = this.clock.now();
    const entries = this.db.transaction(() =>
      changes.map((change) => {
        const current = this.live.get(change.id);
        if (!current || current.job.source !== 'download')
          throw new HaulError('not_found', `No download ${change.id}.`);
        const job = {
          ...current.job,
          priority: change.priority ?? current.job.priority,
          position: change.position,
          updatedAt: now,
        };
        const entry = { ...current, job, position: change.position };
        this.store.save(entry, this.dirty.get(change.id) ?? current);
        this.dirty.delete(change.id);
        return entry;
      }),
    )();
    for (const entry of entries) {
      this.put(entry.job.id, entry);
      this.hub.publish('updated', entry.job, true);
    }
  }

  log(id: string, line: string): void {
    const text = redactText(line);
    this.store.appendLog(id, this.clock.now(), text.length > 2000 ? `${text.slice(0, 2000)}…` : text);
  }

  readLog(id: string): string[] {
    return this.store.readLog(id);
  }

  /** Takes a job out of the live list; its history stays in SQLite. */
  retire(id: string): void {
    const current = this.live.get(id);
    if (!current) return;
    this.flushProgress();
    this.store.save({ ...current, live: false }, current);
    this.drop(id);
    this.hub.publish('removed', current.job, true);
  }

  /** Deletes a job and its log for good. */
  delete(id: string): void {
    const current = this.live.get(id);
    this.dirty.delete(id);
    if (!this.store.delete(id) && !current) throw new HaulError('not_found', `No job with id ${id}.`);
    this.drop(id);
    if (current) this.hub.publish('removed', current.job, true);
  }

  /** `written`: the job as it was before this change (what SQLite holds, unless dirty already). */
  private markDirty(id: string, written: StoredJob): void {
    if (!this.dirty.has(id)) this.dirty.set(id, written);
    if (this.flushTimer === undefined) {
      this.flushTimer = this.clock.setTimeout(() => {
        this.flushTimer = undefined;
        this.flushProgress();
      }, progressFlushMs);
    }
  }

  /**
   * The jobs whose status is held in memory only (see transition's `held`): the status
   * SQLite has for each and the one it holds now. Counts read from the status column are
   * corrected with these instead of writing them first.
   */
  heldStatuses(): { source: Job['source']; written: Job['status']; now: Job['status'] }[] {
    const held: { source: Job['source']; written: Job['status']; now: Job['status'] }[] = [];
    for (const [id, written] of this.dirty) {
      const now = this.live.get(id)?.job.status;
      if (now !== undefined && now !== written.job.status)
        held.push({ source: written.job.source, written: written.job.status, now });
    }
    return held;
  }

  /** Writes every pending progress update in one transaction (and the grouped transitions first). */
  flushProgress(): void {
    this.commitGrouped();
    if (this.flushTimer !== undefined) {
      this.clock.clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    if (this.dirty.size === 0) return;
    const changed = [...this.dirty];
    this.dirty.clear();
    this.db.transaction(() => {
      for (const [id, written] of changed) {
        const entry = this.live.get(id);
        if (entry) this.store.save(entry, written);
      }
    })();
  }
}
