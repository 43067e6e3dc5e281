import type { ResumeState } from '../jobs/runner';
import type { PartFile } from './part-file';
import { encodeState, type TransferState } from './resume-state';
import { doneBytes, type Segment } from './segments';

/** A checkpoint started for bytes alone waits at least this long after the last one. */
const minGapMs = 50;
/**
 * Written (not yet synced) offsets are recorded at most this often. They cost one small
 * SQLite write (about 0.05 ms) and no sync, and they are what a killed process resumes
 * from: a kill re-fetches what landed since the last one, so at 40 MiB/s a 50 ms gap cost
 * 1 MiB a kill on average and 5 ms costs 0.1 MiB, for at most 200 small writes a second
 * (about 1% of a core) while bytes land. @default 5
 */
const markGapMs = 5;

/**
 * Marks that may be made at once after a quiet spell, still one every `markGapMs` on
 * average: a server that paces each connection sends every connection a burst at about
 * the same moment, and with one mark a gap the bursts that landed after the first waited
 * up to 5 ms to be recorded, bytes a kill then fetched again. @default 4
 */
const markBurst = 4;

/**
 * Once fewer bytes than this share of `checkpointBytes` are left to land, and at least as
 * many landed since the last checkpoint, one more is asked for: its sync writes what the
 * page cache holds while the last bytes come, so the sync that ends the download has at
 * most that share left to write. 256 MiB at 160 MiB/s (a sync every 32 MiB) spent 24-26
 * ms in that last sync, after its last byte, and 7.5-8.9 ms with this. @default 0.25
 */
const endShare = 0.25;

/** Runs `fn` once after `ms`; answers a function that cancels it. */
export type Schedule = (fn: () => void, ms: number) => () => void;

const realSchedule: Schedule = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  // A mark never keeps the process alive on its own.
  timer.unref();
  return () => clearTimeout(timer);
};

export interface CheckpointPolicy {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Saved at least this often while bytes land. */
  checkpointIntervalMs: number;
  /** Saved once this many bytes landed since the last checkpoint. */
  checkpointBytes: number;
}

/** What a checkpoint records: the part file to sync and the state that describes it. */
export interface CheckpointSource {
  readonly state: TransferState | null;
  readonly part: PartFile | null;
  readonly segments: readonly Segment[];
}

/**
 * Saves resume state as the bytes land: after `checkpointBytes` (fast links) or
 * `checkpointIntervalMs` (slow ones), whichever comes first, so a crash re-fetches little.
 * Each checkpoint syncs the part file first and then records only offsets written
 * before the sync: a saved offset never covers a byte that is not durable. One runs at
 * a time and at most one waits, so a slow disk is not flooded with syncs.
 *
 * Between checkpoints, every batch that lands is recorded too (at most every 5 ms) as
 * written in this boot, without a sync: a killed process left those bytes in the page
 * cache, so its next attempt resumes from them; after a system crash only the synced
 * offsets count (see decodeState). So syncs can be rare: they guard against the rare
 * system crash, and each one stalls the writes behind it, bytes a kill then loses.
 */
export class Checkpoints {
  private chain: Promise<void> = Promise.resolve();
  private waiting = false;
  private lastAt = 0;
  private unsaved = 0;
  private savedBytes = -1;
  /** Offsets covered by this round's last sync; null before its first. */
  private synced: Segment[] | null = null;
  /** Before the round's first sync: what an earlier attempt synced and this round kept. */
  private durable: Segment[] | null = null;
  /** Marks that may be made now (see markBurst), as of `creditAt`; a part of one accrues. */
  private markCredit = 0;
  private creditAt = 0;
  private markedBytes = -1;
  private firstSyncAsked = false;
  /** Cancels the mark due for bytes that landed within 5 ms of the last one. */
  private cancelMark: (() => void) | null = null;
  /** The round is over: nothing more is recorded until the next restart. */
  private stopped = false;

  constructor(
    private readonly policy: CheckpointPolicy,
    private readonly source: CheckpointSource,
    private readonly save: (state: ResumeState) => void,
    private readonly fail: (error: unknown) => void,
    private readonly schedule: Schedule = realSchedule,
  ) {}

  /**
   * A round begins: the clock starts now. `durable`: offsets an earlier attempt synced
   * (its saved state's), claimed as synced until this round's first sync, as far as the
   * round's own segments still hold those bytes; null when the round starts from zero.
   */
  restart(durable: readonly Segment[] | null = null): void {
    this.durable = durable && provenBy(durable, this.source.segments);
    this.lastAt = this.policy.now();
    // The round's first mark waits a whole gap: a small file's download ends within it.
    this.markCredit = 0;
    this.creditAt = this.lastAt;
    this.unsaved = 0;
    this.synced = null;
    this.firstSyncAsked = false;
    this.stopped = false;
    this.unschedule();
  }

  /**
   * The round ended (its bytes are all in, or it failed): no mark is made after this, so
   * none can overwrite what the caller records next. Syncs already asked for still run.
   */
  stop(): void {
    this.stopped = true;
    this.unschedule();
  }

  private unschedule(): void {
    this.cancelMark?.();
    this.cancelMark = null;
  }

  /** Bytes reached the part file (not yet durable). */
  landed(bytes: number): void {
    this.unsaved += bytes;
    const now = this.policy.now();
    if (this.stopped) return;
    if (this.due() && now - this.lastAt >= minGapMs) this.request();
    else if (this.credit(now) >= 1) this.mark(now);
    // Too soon after the last marks: these bytes are marked once a mark's credit is back,
    // even if nothing else lands by then (the last batch before a pause or a kill).
    else if (this.cancelMark === null) {
      this.cancelMark = this.schedule(
        () => {
          this.cancelMark = null;
          if (!this.stopped) this.mark(this.policy.now());
        },
        (1 - this.markCredit) * markGapMs,
      );
    }
  }

  /** The marks that may be made at `now`: one more every `markGapMs`, at most `markBurst`. */
  private credit(now: number): number {
    this.markCredit = Math.min(markBurst, this.markCredit + Math.max(0, now - this.creditAt) / markGapMs);
    this.creditAt = now;
    return this.markCredit;
  }

  /**
   * True when enough bytes landed since the last checkpoint, or the download is near its
   * end with as many landed (see endShare).
   */
  private due(): boolean {
    const { checkpointBytes } = this.policy;
    if (this.unsaved >= checkpointBytes) return true;
    const total = this.source.state?.totalBytes ?? null;
    const near = checkpointBytes * endShare;
    return this.unsaved >= near && total !== null && total - doneBytes(this.source.segments) < near;
  }

  /**
   * Records the written offsets now, beside the synced ones. Until the round's first sync
   * ends (asked for here), nothing this round wrote is known to be durable: the synced
   * side then claims what an earlier attempt synced, so a system crash in that window
   * costs this round's bytes only.
   */
  private mark(now: number): void {
    this.unschedule();
    this.markCredit = Math.max(0, this.credit(now) - 1);
    const { state, part } = this.source;
    if (!state || !part) return;
    if (this.synced === null && !this.firstSyncAsked) {
      this.firstSyncAsked = true;
      this.request();
    }
    const written = this.copy();
    const done = doneBytes(written);
    if (done === this.markedBytes) return;
    this.markedBytes = done;
    const synced = this.synced ?? this.durable ?? written.map((s) => ({ ...s, pos: s.start }));
    try {
      this.save(encodeState({ ...state, segments: synced }, written));
    } catch (error) {
      // Also from a timer, where a throw would end the process: the download fails instead.
      this.fail(error);
    }
  }

  private copy(): Segment[] {
    return this.source.segments.map((s) => ({ start: s.start, end: s.end, pos: s.pos }));
  }

  /** Called now and then: saves once the interval is over. */
  tick(): void {
    if (this.policy.now() - this.lastAt >= this.policy.checkpointIntervalMs) this.request();
  }

  private request(): void {
    this.lastAt = this.policy.now();
    this.unsaved = 0;
    if (this.waiting) return;
    this.waiting = true;
    this.run(false).catch((error: unknown) => this.fail(error));
  }

  /** Syncs, then saves; unless `force`, skipped when nothing new is there to record. */
  run(force: boolean): Promise<void> {
    this.chain = this.chain.then(async () => {
      this.waiting = false;
      const { state, part } = this.source;
      if (!state || !part) return;
      // Copied before the sync: only these offsets are sure to be covered by it.
      const segments = this.copy();
      const done = doneBytes(segments);
      if (!force && done === this.savedBytes) return;
      await part.sync();
      // A part file deleted meanwhile keeps taking bytes that nobody will find: stop now.
      await part.ensureLinked();
      this.synced = segments;
      // Bytes that landed during the sync are written, not yet synced.
      this.save(encodeState({ ...state, segments }, this.copy()));
      this.savedBytes = done;
    });
    return this.chain;
  }

  /** Resolves once no checkpoint is running. */
  async settled(): Promise<void> {
    await this.chain.catch(() => undefined);
  }
}

/**
 * `durable` with each position kept only where `done` still holds every byte before it
 * (a part file found shorter at resume holds fewer); else the segment claims nothing.
 */
function provenBy(durable: readonly Segment[], done: readonly Segment[]): Segment[] {
  return durable.map((d) => {
    let held = 0;
    for (const s of done) held += Math.max(0, Math.min(s.pos, d.pos) - Math.max(s.start, d.start));
    return { start: d.start, end: d.end, pos: held === d.pos - d.start ? d.pos : d.start };
  });
}
