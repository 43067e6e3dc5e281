import type { CertificateDetails, DownloadJob, JobError, PluginJob } from '../../../src-common/contract';
import { cannotSave, cannotSaveMessage, unexpectedMessage } from '../errors';

/**
 * How a job's work is stopped from outside. The reason is `signal.reason` of the
 * AbortSignal handed to the runner: a paused download keeps its partial file and saved
 * state, a cancelled one removes its partial file, a shutdown keeps everything.
 */
export type StopReason = 'paused' | 'cancelled' | 'shutdown';

/**
 * A failure the job system understands. `transient` failures (network errors, 408, 429,
 * 5xx, stalls) are retried with backoff while attempts remain; the rest fail the job.
 */
export class JobFailure extends Error {
  readonly kind: JobError['kind'];
  readonly transient: boolean;
  /** The server's Retry-After, when it sent one. */
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  /** The certificate a TLS failure was about, for the user to inspect and maybe trust. */
  readonly certificate: CertificateDetails | undefined;
  /** The server could not be reached at all (no route, no name server): the network may be down. */
  readonly unreachable: boolean;

  constructor(
    kind: JobError['kind'],
    message: string,
    options: {
      transient?: boolean;
      retryAfterMs?: number;
      status?: number;
      certificate?: CertificateDetails;
      unreachable?: boolean;
    } = {},
  ) {
    super(message);
    this.name = 'JobFailure';
    this.kind = kind;
    this.transient = options.transient ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
    this.certificate = options.certificate;
    this.unreachable = options.unreachable ?? false;
  }
}

export interface DownloadProgress {
  receivedBytes: number;
  totalBytes: number | null;
  /** Bytes per second, smoothed. */
  speed: number;
  /** Connections currently open. */
  connections: number;
  /** The name the file will get, once known (from Content-Disposition or the URL). */
  fileName?: string;
  /** The URL after redirects. */
  finalUrl?: string;
  message?: string;
}

/**
 * What the engine wants back on the next attempt (segments, validators, part file).
 * Opaque to the job core: stored as JSON with the job and handed back unchanged.
 */
export type ResumeState = Record<string, unknown>;

export interface DownloadContext {
  readonly job: Readonly<DownloadJob>;
  /** Aborted on pause, cancel or shutdown; `signal.reason` is the StopReason. */
  readonly signal: AbortSignal;
  /** The state saved by the previous attempt, or null on a first start. */
  readonly resumeState: ResumeState | null;
  /**
   * Records resume state, in SQLite at once (callers keep the rate low: the engine saves
   * at most every 50 ms per download); callers must have written the bytes it describes.
   * `durable`: written to SQLite before this returns, with the job's `fileName` (for the
   * name and part file a job takes before its first byte, which a crash must not orphan).
   */
  saveState(state: ResumeState, durable?: { fileName: string }): void;
  progress(update: DownloadProgress): void;
  log(line: string): void;
  /** The bytes are all there; the job moves to `processing` (verify, rename, hooks). */
  enterProcessing(): void;
}

export interface DownloadOutcome {
  /** Absolute path of the finished file. */
  path: string;
  fileName: string;
  totalBytes: number;
  finalUrl: string;
  /** Detected from the file's first bytes, else the server's Content-Type. */
  contentType: string | null;
  sha256: string | null;
}

/** The download engine, as the job core sees it. */
export type DownloadRunner = (context: DownloadContext) => Promise<DownloadOutcome>;

export interface PluginJobContext {
  readonly job: Readonly<PluginJob>;
  /** Aborted on cancel, timeout or shutdown. */
  readonly signal: AbortSignal;
  /** `metadata` is merged into the job's (a key set to null is removed). */
  progress(percent: number, message?: string, metadata?: Record<string, unknown>): void;
  log(line: string): void;
}

/**
 * Runs plugin jobs, as DownloadRunner runs downloads. The plugin host is its one
 * implementation and the one owner of what a plugin job runs: the job core keeps no
 * plugin code, so a retry always reaches the plugin as it is now.
 */
export interface PluginJobRunner {
  /** Why `job` cannot run (again) now, e.g. its plugin is gone; undefined when it can. */
  refusal(job: PluginJob): string | undefined;
  /** One attempt; its resolved value becomes the job's result. */
  run(context: PluginJobContext): Promise<Record<string, unknown> | void>;
  /** An attempt ended, or the job was cancelled or removed: forget what was kept for it. May repeat. */
  release(jobId: string): void;
}

/** A failure as the job records it, with whether a retry may help and after how long. */
export function toJobError(
  error: unknown,
): JobError & { transient: boolean; retryAfterMs?: number; unreachable?: boolean } {
  if (error instanceof JobFailure) {
    return {
      kind: error.kind,
      message: error.message,
      ...(error.status !== undefined ? { status: error.status } : {}),
      ...(error.certificate ? { certificate: error.certificate } : {}),
      transient: error.transient,
      retryAfterMs: error.retryAfterMs,
      ...(error.unreachable ? { unreachable: true } : {}),
    };
  }
  // Its database could not be written (a full disk): worth another attempt once it can.
  if (cannotSave(error)) return { kind: 'disk', message: cannotSaveMessage(error), transient: true };
  return { kind: 'internal', message: unexpectedMessage(error), transient: false };
}

/** The job's error as it is kept, without the retry hints. */
export function stripTransient(error: ReturnType<typeof toJobError>): JobError {
  const { transient: _transient, retryAfterMs: _retryAfterMs, unreachable: _unreachable, ...kept } = error;
  return kept;
}
