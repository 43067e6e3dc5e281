import type { DownloadContext } from '../jobs/runner';
import type { EngineSettings } from './engine-options';
import type { TransferState } from './resume-state';
import { SpeedMeter } from './speed-meter';

/** What a progress report reads of the transfer, when it is made. */
export interface ProgressSource {
  readonly ctx: Pick<DownloadContext, 'progress'>;
  readonly settings: Pick<EngineSettings, 'progressIntervalMs'>;
  readonly plan: { done(): number };
  readonly state: TransferState | null;
  /** Connections open now. */
  readonly connections: number;
}

/** A progress report's fields: bytes in, the total when known, connections open and the speed. */
export interface ProgressFields {
  receivedBytes: number;
  totalBytes: number | null;
  connections: number;
  speed: number;
}

/**
 * A transfer's progress reports: what they say, and their pace, at most one a progress
 * interval while the transfer ticks. The speed is measured between those reports.
 */
export class TransferProgress {
  private readonly meter = new SpeedMeter();
  private lastAt = 0;

  constructor(private readonly source: ProgressSource) {}

  /** A new round: the speed is measured afresh, and the next report is due an interval after `now`. */
  restart(now: number): void {
    this.meter.reset();
    this.lastAt = now;
  }

  fields(): ProgressFields {
    const source = this.source;
    return {
      receivedBytes: source.plan.done(),
      totalBytes: source.state?.totalBytes ?? null,
      connections: source.connections,
      speed: this.meter.speed,
    };
  }

  /** Reports, with `done` bytes in, once a progress interval passed since the last report. */
  tick(now: number, done: number): void {
    if (now - this.lastAt >= this.source.settings.progressIntervalMs) {
      this.lastAt = now;
      this.meter.sample(done, now);
      this.source.ctx.progress(this.fields());
    }
  }
}
