import type { Database } from 'better-sqlite3';
import type { Job } from '../../../src-common/contract';
import type { Clock } from '../clock';
import { cannotSave, cannotSaveMessage } from '../errors';
import type { JobStore, StoredJob } from '../store/job-store';
import type { LiveJobs } from './live-jobs';

/** How often changes held in memory are written to SQLite. @default 1000 */
export const progressFlushMs = 1000;

/** A held job's status as SQLite has it and as the live list has it now. */
export interface HeldStatus {
  source: Job['source'];
  written: Job['status'];
  now: Job['status'];
}

/**
 * The jobs changed in memory only (progress, and the statuses a transition may hold),
 * each with what SQLite holds for it, so a write of the job changes only the columns
 * that differ. All are written within `progressFlushMs` of the first change, in one
 * transaction, or sooner with the job's next write.
 */
export class HeldWrites {
  private readonly jobs = new Map<string, StoredJob>();
  private timer: unknown;
  /** Since SQLite refused a write (its disk full): until a flush goes through again. */
  private refusing = false;

  constructor(
    private readonly db: Database,
    private readonly store: JobStore,
    private readonly live: LiveJobs,
    private readonly clock: Clock,
    /** Called when the flush is due, instead of `flush`: the owner may write more first. */
    private readonly due: () => void,
    /** Called when SQLite holds all of a job's changes again (or the job is gone). */
    private readonly onWritten: (id: string) => void = () => undefined,
  ) {}

  /** What SQLite holds for `id`, when the job has changes held in memory. */
  written(id: string): StoredJob | undefined {
    return this.jobs.get(id);
  }

  /** `written`: the job as SQLite holds it before this change (kept when one is held already). */
  hold(id: string, written: StoredJob): void {
    if (!this.jobs.has(id)) this.jobs.set(id, written);
    if (this.timer === undefined) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.due();
      }, progressFlushMs);
    }
  }

  /** SQLite now holds `written` for `id`, with the live job's other changes still held. */
  wrote(id: string, written: StoredJob): void {
    this.jobs.set(id, written);
  }

  /** The job was written whole (or deleted): nothing of it is held. */
  forget(id: string): void {
    if (this.jobs.delete(id)) this.onWritten(id);
  }

  /**
   * The held jobs whose status SQLite does not have yet: counts read from the status
   * column are corrected with these instead of writing them first.
   */
  statuses(): HeldStatus[] {
    const held: HeldStatus[] = [];
    for (const [id, written] of this.jobs) {
      const now = this.live.get(id)?.job.status;
      if (now !== undefined && now !== written.job.status)
        held.push({ source: written.job.source, written: written.job.status, now });
    }
    return held;
  }

  /**
   * SQLite refused a write of a job (see cannotSave): the caller holds the change here
   * instead. Said once, until a flush goes through again.
   */
  refused(error: unknown): void {
    if (this.refusing) return;
    this.refusing = true;
    console.warn(`haul: ${cannotSaveMessage(error)} Changes are kept in memory and saved once it can write again.`);
  }

  /**
   * Writes every held job as the live list has it, in one transaction. When SQLite cannot
   * write, they stay held and the next flush, within `progressFlushMs`, tries again.
   */
  flush(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.jobs.size === 0) return;
    const changed = [...this.jobs];
    this.jobs.clear();
    try {
      this.db.transaction(() => {
        for (const [id, written] of changed) {
          const entry = this.live.get(id);
          if (entry) this.store.save(entry, written);
        }
      })();
    } catch (error) {
      if (!cannotSave(error)) return this.saveEach(changed);
      this.refused(error);
      for (const [id, written] of changed) this.hold(id, written);
      return;
    }
    for (const [id] of changed) this.onWritten(id);
    this.accepted();
  }

  /**
   * The flush's transaction failed for another reason than the disk: a job holds a value
   * its table refuses (a bug). Each job is saved on its own, so the others keep their
   * changes, and the one refused is said rather than thrown from a timer, which would
   * stop the process.
   */
  private saveEach(changed: [string, StoredJob][]): void {
    for (const [id, written] of changed) {
      const entry = this.live.get(id);
      if (!entry) {
        this.onWritten(id);
        continue;
      }
      try {
        this.store.save(entry, written);
        this.onWritten(id);
      } catch (error) {
        if (cannotSave(error)) {
          this.refused(error);
          this.hold(id, written);
        } else console.error(`haul: job ${id} could not be saved and keeps what was saved before: ${String(error)}`);
      }
    }
  }

  /** SQLite took a write: said once after `refused`. */
  accepted(): void {
    if (!this.refusing) return;
    this.refusing = false;
    console.warn('haul: the database can be written again; changes kept in memory are saved within a second.');
  }
}
