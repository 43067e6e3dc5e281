import type { Database } from 'better-sqlite3';
import { isFinishedStatus, Job, type Snapshot } from '../../../src-common/contract';
import type { Clock } from '../clock';
import { cannotSave, HaulError } from '../errors';
import { redactText } from './secrets';
import { stateDigest, type Claim, type ClaimLog } from '../store/claim-log';
import { isIdClash, type JobStore, type StoredJob } from '../store/job-store';
import type { EventHub } from './event-hub';
import { GroupedCommits } from './grouped-commits';
import { HeldWrites, type HeldStatus } from './held-writes';
import { LiveJobs } from './live-jobs';
import { movedEntry, nextStatus, type JobPatch, type TransitionExtras, type TransitionName } from './transitions';

export type { JobPatch, TransitionExtras } from './transitions';

/** A named transition asked for one job. */
interface Transition {
  id: string;
  name: TransitionName;
  patch: JobPatch | (() => JobPatch);
  extras: TransitionExtras;
}

/** A transition waiting for a shared commit; `orHold`: see `transition`. */
interface GroupedTransition extends Transition {
  orHold: boolean;
}

/** What a command on a job Haul does not know answers. */
export function noSuchJob(id: string): HaulError {
  return new HaulError('not_found', `No job with id ${id}.`);
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

/**
 * The live jobs and the one way to change them. Every status change is a named
 * transition: checked against the table inside a transaction, written, then emitted.
 * Progress is kept in memory, emitted through the hub's throttle, and written in
 * batches about once a second, never per chunk.
 */
export class JobRegistry {
  private readonly live = new LiveJobs();
  /** Jobs changed in memory only, each with what SQLite holds for it. */
  private readonly held: HeldWrites;
  /** Transitions waiting for their shared commit (see transitionSoon). */
  private readonly grouped: GroupedCommits<GroupedTransition>;

  constructor(
    private readonly db: Database,
    private readonly store: JobStore,
    private readonly hub: EventHub,
    private readonly clock: Clock,
    /** Called at each status change: the jobs are busy writing. */
    private readonly onWrite: () => void = () => undefined,
    /** Where claims go instead of a commit of their own (see saveDurably); without it, SQLite. */
    private readonly claims?: ClaimLog,
  ) {
    this.held = new HeldWrites(
      db,
      store,
      this.live,
      clock,
      () => this.flushProgress(),
      (id) => claims?.written(id),
    );
    this.grouped = new GroupedCommits<GroupedTransition>(
      (calls) => this.commitTogether(calls),
      (call) => this.commit(call, this.clock.now(), call.orHold),
      clock,
    );
  }

  /** The id of the live download fetching `url` that is not finished, if any. */
  activeDownloadOf(url: string): string | undefined {
    return this.live.activeDownloadOf(url);
  }

  /** Reads the live list from SQLite; answers why any row was left out. */
  load(): string[] {
    const { jobs, unreadable } = this.store.loadLive();
    for (const stored of jobs) this.live.put(stored);
    return unreadable.map((why) => `${why} It is left out of the live list; the others are loaded.`);
  }

  /**
   * After a crash, once the live list is loaded: each claim from the log that SQLite does
   * not hold yet, taken into the live list and written with the held changes (held, as
   * any change, while SQLite cannot be written). A claim is taken where the download is
   * live and not finished, and SQLite still holds the resume state it replaced: any write
   * of the job after the claim carried the claim or a later state, so then SQLite's wins.
   */
  restoreClaims(claims: readonly Claim[]): void {
    for (const claim of claims) {
      const current = this.live.get(claim.id);
      if (!current || current.job.source !== 'download' || isFinishedStatus(current.job.status)) continue;
      if (stateDigest(current.resumeState) !== claim.before) continue;
      const job = { ...current.job, fileName: claim.fileName };
      this.live.put({ ...current, job, resumeState: claim.resumeState });
      this.held.hold(claim.id, current);
      this.claims?.carry(claim.id);
    }
    this.held.flush();
    this.claims?.emptyIfWritten();
  }

  snapshot(): Snapshot {
    return this.live.snapshot();
  }

  /** See LiveJobs.retryingCounts. */
  retryingCounts(now: number): Record<Job['source'], number> {
    return this.live.retryingCounts(now);
  }

  liveJobs(): StoredJob[] {
    return this.live.all();
  }

  /** The pending downloads in the order they start (priority, then position); stop early at will. */
  pendingDownloads(): Generator<StoredJob> {
    return this.live.pendingDownloads();
  }

  /** The live jobs other than downloads whose status is pending. */
  pendingJobs(): StoredJob[] {
    return this.live.pendingJobs();
  }

  /** A job from the live list, else from history. */
  stored(id: string): StoredJob | undefined {
    return this.live.get(id) ?? this.store.get(id);
  }

  get(id: string): Job {
    const stored = this.stored(id);
    if (!stored) throw noSuchJob(id);
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
    // the insert changes to that journal first (a job's insert 229 against 192 µs with the
    // journal in memory, see openDatabase; 359 against 209 µs when it was a file).
    if (parsed.length === 1) insert();
    else this.db.transaction(insert)();
    for (const entry of parsed) {
      this.live.put(entry);
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
   * from the job's status (as SQLite holds it, or held in memory, see `held`).
   * `held`: the change is written with the job's next write (its next transition, or the
   * progress flush within a second) instead of in a transaction of its own. Only for a
   * status a crash may lose: one that recovery treats like the status before it.
   * `orHold`: when SQLite cannot be written (its disk is full), the change is held as
   * with `held` and written once it can be; for the work's own transitions, which have
   * no one to answer (a user's change is refused instead, and told why).
   * `patch` given as a function is called inside the transaction, once the change is
   * known to be legal: what it writes (a library resource) commits with the change, or
   * not at all.
   */
  transition(
    id: string,
    name: TransitionName,
    patch: JobPatch | (() => JobPatch) = {},
    extras: TransitionExtras = {},
    options: { held?: boolean; orHold?: boolean } = {},
  ): Job {
    this.onWrite();
    const call = { id, name, patch, extras };
    const now = this.clock.now();
    if (options.held && this.live.has(id)) return this.hold(call, now);
    return this.commit(call, now, options.orHold ?? false);
  }

  /** The change in memory and the event stream now, in SQLite with the job's next write. */
  private hold(call: Transition, now: number): Job {
    const { entry, written } = this.change(call, now);
    this.live.put(entry);
    this.held.hold(call.id, written);
    this.hub.publish('updated', entry.job, true);
    return entry.job;
  }

  /** The change in a transaction of its own; held instead when `orHold` and SQLite cannot be written. */
  private commit(call: Transition, now: number, orHold: boolean): Job {
    try {
      const job = this.committed(call.id, this.db.transaction(() => this.save(call, now))());
      this.held.accepted();
      return job;
    } catch (error) {
      if (!orHold || !cannotSave(error) || !this.live.has(call.id)) throw error;
      this.held.refused(error);
      return this.hold(call, now);
    }
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
   * When SQLite cannot be written, a completion is held as with `orHold`: a crash before
   * it is written finds the job downloading, and its recovery finds the published file.
   * A user's change (`orHold` false, see JobCenter.each) is refused then instead.
   * `withinMs`: the call may wait that long for others to share its commit, instead of
   * committing at the end of this turn (see Scheduler's completionWindowMs).
   */
  transitionSoon(
    id: string,
    name: TransitionName,
    patch: JobPatch | (() => JobPatch) = {},
    extras: TransitionExtras = {},
    options: { orHold?: boolean; withinMs?: number } = {},
  ): Promise<Job> {
    return this.grouped.add({ id, name, patch, extras, orHold: options.orHold ?? true }, options.withinMs);
  }

  /** Commits the transitions waiting for a shared commit (see transitionSoon) now. */
  commitWaiting(): void {
    this.grouped.commit();
  }

  /** The grouped transitions in one transaction; throws, having written nothing, when one fails. */
  private commitTogether(calls: Transition[]): Job[] {
    const now = this.clock.now();
    for (let i = 0; i < calls.length; i += 1) this.onWrite();
    // No savepoint for each: SQLite first copies the pages a savepoint's statements change
    // to a statement journal, and with that journal in a file (before openDatabase kept
    // it in memory) that wrote about as much as sharing the commit saved.
    const entries = this.db.transaction(() => calls.map((call) => this.save(call, now)))();
    this.held.accepted();
    return calls.map((call, i) => this.committed(call.id, entries[i]!));
  }

  /** Makes a transition's change and writes it; call inside a transaction. */
  private save(call: Transition, now: number): StoredJob {
    const { entry, written } = this.change(call, now);
    this.store.save(entry, written);
    return entry;
  }

  /** A committed change: the live list and the event stream take it. */
  private committed(id: string, entry: StoredJob): Job {
    this.live.put(entry);
    this.held.forget(id);
    this.hub.publish('updated', entry.job, true);
    return entry.job;
  }

  /** A transition's new entry, checked against the table; `written`: what SQLite holds. */
  private change({ id, name, patch, extras }: Transition, now: number): { entry: StoredJob; written: StoredJob } {
    const current = this.live.get(id) ?? this.store.get(id);
    if (!current) throw noSuchJob(id);
    // The live entry's status: what SQLite holds, or a change held in memory (see `held`).
    // The registry is SQLite's only writer of jobs, and a failed commit leaves the live
    // entry as it was, so the two differ only where a change is held.
    const written = this.held.written(id);
    const to = nextStatus(current.job, name);
    const entry = movedEntry(current, to, typeof patch === 'function' ? patch() : patch, extras, now);
    return { entry, written: written ?? current };
  }

  /** Progress and other non-status fields: in memory now, in SQLite within a second. */
  update(id: string, patch: JobPatch): Job | undefined {
    const current = this.live.get(id);
    if (!current) return undefined;
    const job = { ...current.job, ...patch, updatedAt: this.clock.now() } as Job;
    this.live.put({ ...current, job });
    this.held.hold(id, current);
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
    this.live.put({ ...current, resumeState });
    this.writeOrHold(id, current, () => {
      this.store.saveResumeState(id, resumeState);
      // What SQLite holds for a job with changes held: the claim log compares with it.
      const written = this.held.written(id);
      if (written) this.held.wrote(id, { ...written, resumeState });
    });
  }

  /** Runs `write`; when SQLite cannot be written, the job's change is held instead (see HeldWrites). */
  private writeOrHold(id: string, written: StoredJob, write: () => void): void {
    try {
      write();
    } catch (error) {
      if (!cannotSave(error)) throw error;
      this.held.refused(error);
      this.held.hold(id, written);
    }
  }

  /**
   * A download's claim: the resume state and the name it took, durable before this
   * returns, as a crash must find them. In the claim log when there is one (see
   * ClaimLog), the change held and written with the job's next write; else, or when the
   * log cannot be written, in SQLite (held, as any change, when SQLite cannot be written).
   * Changes held in memory (a download's start) stay held, written with the job's next
   * write: the status, start time and update time are in six indexes, and rewriting
   * their entries here as well as at the next transition made this write three times as
   * costly (about 270 against 90 µs).
   */
  saveDurably(id: string, resumeState: Record<string, unknown>, fileName: string): void {
    const current = this.live.get(id);
    if (!current || current.job.source !== 'download') return;
    const entry = { ...current, resumeState, job: { ...current.job, fileName, updatedAt: this.clock.now() } };
    const written = this.held.written(id);
    const before = stateDigest((written ?? current).resumeState);
    this.live.put(entry);
    if (this.claims?.append({ id, before, resumeState, fileName })) {
      this.held.hold(id, written ?? current);
      // A long burst keeps some claim unwritten: the log is bounded by writing them all.
      if (this.claims.full) this.held.flush();
    } else this.writeClaim(id, entry, current, written, fileName);
    this.hub.publish('updated', entry.job, false);
  }

  /** saveDurably's claim in SQLite, at once; `written`: what SQLite holds when the job has changes held. */
  private writeClaim(
    id: string,
    entry: StoredJob,
    current: StoredJob,
    written: StoredJob | undefined,
    fileName: string,
  ) {
    this.writeOrHold(id, written ?? current, () => {
      if (!written) return this.store.save(entry, current);
      const durable = { ...written, resumeState: entry.resumeState, job: { ...written.job, fileName } as Job };
      this.store.save(durable, written);
      this.held.wrote(id, durable);
    });
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
        this.store.save(entry, this.held.written(change.id) ?? current);
        this.held.forget(change.id);
        return entry;
      }),
    )();
    for (const entry of entries) {
      this.live.put(entry);
      this.hub.publish('updated', entry.job, true);
    }
  }

  log(id: string, line: string): void {
    const text = redactText(line);
    try {
      this.store.appendLog(id, this.clock.now(), text.length > 2000 ? `${text.slice(0, 2000)}…` : text);
    } catch (error) {
      // A log line is not worth holding: dropped while SQLite cannot be written.
      if (!cannotSave(error)) throw error;
      this.held.refused(error);
    }
  }

  readLog(id: string): string[] {
    return this.store.readLog(id);
  }

  /** Takes a job out of the live list; its history stays in SQLite. */
  retire(id: string): void {
    const current = this.live.get(id);
    if (!current) return;
    this.flushProgress();
    // What SQLite holds: a flush it refused leaves the job's changes held.
    this.store.save({ ...current, live: false }, this.held.written(id) ?? current);
    this.held.forget(id);
    this.live.drop(id);
    this.hub.publish('removed', current.job, true);
  }

  /**
   * Deletes the jobs `ids` and their logs for good, in one transaction; the ids it knew
   * nothing of are answered. When the transaction throws, nothing of it was written.
   */
  deleteMany(ids: readonly string[]): Set<string> {
    const unknown = new Set<string>();
    this.db.transaction(() => {
      for (const id of ids) if (!this.store.delete(id) && !this.live.has(id)) unknown.add(id);
    })();
    for (const id of ids) {
      if (unknown.has(id)) continue;
      const current = this.live.get(id);
      this.held.forget(id);
      this.live.drop(id);
      if (current) this.hub.publish('removed', current.job, true);
    }
    return unknown;
  }

  /** See HeldWrites.statuses. */
  heldStatuses(): HeldStatus[] {
    return this.held.statuses();
  }

  /** Writes every change held in memory in one transaction (and the grouped transitions first). */
  flushProgress(): void {
    this.commitWaiting();
    this.held.flush();
  }
}
