import type { ResumeState } from '../jobs/runner';
import type { PartFile } from './part-file';
import { encodeState, type TransferState } from './resume-state';
import { doneBytes, type Segment } from './segments';

/** A checkpoint started for bytes alone waits at least this long after the last one. */
const minGapMs = 50;

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
 */
export class Checkpoints {
  private chain: Promise<void> = Promise.resolve();
  private waiting = false;
  private lastAt = 0;
  private unsaved = 0;
  private savedBytes = -1;

  constructor(
    private readonly policy: CheckpointPolicy,
    private readonly source: CheckpointSource,
    private readonly save: (state: ResumeState) => void,
    private readonly fail: (error: unknown) => void,
  ) {}

  /** A round begins: the clock starts now. */
  restart(): void {
    this.lastAt = this.policy.now();
    this.unsaved = 0;
  }

  /** Bytes reached the part file (not yet durable). */
  landed(bytes: number): void {
    this.unsaved += bytes;
    if (this.unsaved >= this.policy.checkpointBytes && this.policy.now() - this.lastAt >= minGapMs) this.request();
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
      const segments = this.source.segments.map((s) => ({ start: s.start, end: s.end, pos: s.pos }));
      const done = doneBytes(segments);
      if (!force && done === this.savedBytes) return;
      await part.sync();
      this.save(encodeState({ ...state, segments }));
      this.savedBytes = done;
    });
    return this.chain;
  }

  /** Resolves once no checkpoint is running. */
  async settled(): Promise<void> {
    await this.chain.catch(() => undefined);
  }
}
