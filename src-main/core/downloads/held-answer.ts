import type { AttemptContext } from './attempt-context';
import type { EngineSettings } from './engine-options';
import { partSuffix } from './file-name';
import { claimPart } from './first-response';
import type { MemoryPart, PartFile } from './part-file';
import type { TransferState } from './resume-state';

/** What a held answer uses of its transfer: the part file its bytes move to, and the state naming it. */
export interface SpillTarget {
  readonly ctx: AttemptContext;
  readonly folder: string;
  readonly settings: Pick<EngineSettings, 'now' | 'checkpointIntervalMs'>;
  state: TransferState | null;
  part: PartFile | null;
  fail(error: unknown): void;
}

/**
 * A small answer's bytes held in memory instead of a part file (see MemoryPart), until
 * the answer ends or has come for a checkpoint interval and moves to a part file.
 */
export class HeldAnswer {
  /** A small answer's bytes, held instead of a part file; its names are not claimed yet. */
  bytes: MemoryPart | null = null;
  /** When the bytes began to be held. */
  private since = 0;
  /** The held bytes moving to a part file. */
  spilling: Promise<void> | null = null;

  constructor(private readonly target: SpillTarget) {}

  /** Holds a round's first answer, whose bytes go to `bytes`. */
  hold(bytes: MemoryPart): void {
    this.bytes = bytes;
    this.since = this.target.settings.now();
  }

  /** A new round: nothing held, nothing moving. */
  clear(): void {
    this.bytes = null;
    this.spilling = null;
  }

  /** Starts the move to a part file once the bytes have been held a checkpoint interval. */
  tick(now: number): void {
    if (this.bytes && this.spilling === null && now - this.since >= this.target.settings.checkpointIntervalMs) {
      this.spilling = this.spill(this.bytes).catch((error: unknown) => this.target.fail(error));
    }
  }

  /**
   * A held answer still coming after a checkpoint interval goes to a part file, as if it
   * had been too large to hold: its name is claimed, the bytes so far are written, and
   * from then on it is checkpointed and resumable like any other download.
   */
  private async spill(held: MemoryPart): Promise<void> {
    const target = this.target;
    const { fileName, part } = await claimPart(target.ctx, target.folder, target.state!.fileName, target.state!.url);
    try {
      await held.spill(part);
    } catch (error) {
      await target.ctx.discard(part);
      throw error;
    }
    target.state = { ...target.state!, fileName, partName: fileName + partSuffix };
    target.part = part;
    this.bytes = null;
  }
}
