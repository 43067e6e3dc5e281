import type { DownloadContext, DownloadProgress, ResumeState } from '../jobs/runner';
import type { PartFile } from './part-file';
import { withPartRemoved } from './resume-state';

/**
 * One attempt's view of its job: the job's context, keeping the last state the attempt
 * saved, so that removing the part file can say so in that state (see withPartRemoved).
 */
export class AttemptContext implements DownloadContext {
  private lastSaved: ResumeState | null;

  constructor(private readonly ctx: DownloadContext) {
    this.lastSaved = ctx.resumeState;
  }

  get job(): DownloadContext['job'] {
    return this.ctx.job;
  }

  get signal(): AbortSignal {
    return this.ctx.signal;
  }

  get resumeState(): ResumeState | null {
    return this.ctx.resumeState;
  }

  saveState(state: ResumeState, durable?: { fileName: string }): void {
    this.lastSaved = state;
    this.ctx.saveState(state, durable);
  }

  progress(update: DownloadProgress): void {
    this.ctx.progress(update);
  }

  log(line: string): void {
    this.ctx.log(line);
  }

  enterProcessing(): void {
    this.ctx.enterProcessing();
  }

  /** Removes the part file and marks the last saved state, which names it, as without it. */
  async discard(part: PartFile): Promise<void> {
    await part.discard();
    if (this.lastSaved) this.saveState(withPartRemoved(this.lastSaved));
  }
}
