import type { ResumeState } from '../jobs/runner';
import type { PartFile } from './part-file';
import { encodeState, type TransferState } from './resume-state';
import { doneBytes, type Segment } from './segments';

/** A checkpoint started for bytes alone waits at least this long after the last one. */
const minGapMs = 50;
/**
 * Written (not yet synced) offsets are recorded at most this often. They cost one small
 * SQLite write and no sync, and they are what a killed process resumes from: a kill
 * re-fetches what landed since the last one, so at 40 MiB/s a 50 ms gap cost 1 MiB a kill
 * on average and 10 ms costs 0.2 MiB, for at most 100 small writes a second. @default 10
 */
const markGapMs = 10;

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
 * Between checkpoints, every batch that lands is recorded too (at most every 10 ms) as
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
  private lastMarkAt = 0;
  private markedBytes = -1;
  private firstSyncAsked = false;

  constructor(
    private readonly policy: CheckpointPolicy,
    private readonly source: CheckpointSource,
    private readonly save: (state: ResumeState) => void,
    private readonly fail: (error: unknown) => void,
  ) {}

  /** A round begins: the clock starts now. */
  restart(): void {
    this.lastAt = this.policy.now();
    this.lastMarkAt = this.lastAt;
    this.unsaved = 0;
    this.synced = null;
    this.firstSyncAsked = false;
  }

  /** Bytes reached the part file (not yet durable). */
  landed(bytes: number): void {
    this.unsaved += bytes;
    const now = this.policy.now();
    if (this.unsaved >= this.policy.checkpointBytes && now - this.lastAt >= minGapMs) this.request();
    else if (now - this.lastMarkAt >= markGapMs) this.mark(now);
  }

  /**
   * Records the written offsets now, beside the synced ones. Until the round's first sync
   * ends (asked for here), nothing of this round is known to be durable: the synced side
   * then claims no byte, so only a system crash in that window costs the bytes before it.
   */
  private mark(now: number): void {
    this.lastMarkAt = now;
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
    const synced = this.synced ?? written.map((s) => ({ ...s, pos: s.start }));
    this.save(encodeState({ ...state, segments: synced }, written));
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
