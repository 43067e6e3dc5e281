import { setMaxListeners } from 'node:events';
import { RestartNeeded } from './segment-worker';

/**
 * What stops a transfer's connections: its job's signal, or the first fatal error. They
 * listen to an internal signal tied to the job's, which a restart from zero replaces.
 */
export class StopSwitch {
  private internal: AbortController;
  private failure: unknown = null;

  constructor(
    private readonly job: { readonly signal: AbortSignal },
    /** The most connections the download may have; asked again for each new controller. */
    private readonly maxConnections: () => number,
  ) {
    this.internal = this.newController();
    if (job.signal.aborted) this.stopOnAbort();
    else job.signal.addEventListener('abort', this.stopOnAbort, { once: true });
  }

  /** Aborts whichever internal controller is current. */
  private readonly stopOnAbort = (): void => this.internal.abort(this.job.signal.reason);

  /**
   * Each connection listens to the internal signal while its request is open and while
   * it waits for the speed limit. Workers are at most the connections plus as many
   * retiring, so past this bound a listener would be a leak worth Node's warning.
   */
  private newController(): AbortController {
    const controller = new AbortController();
    setMaxListeners(4 * this.maxConnections() + 4, controller.signal);
    return controller;
  }

  /** The transfer is over: the job's signal no longer holds it. */
  release(): void {
    this.job.signal.removeEventListener('abort', this.stopOnAbort);
  }

  /** What the connections listen to. */
  get signal(): AbortSignal {
    return this.internal.signal;
  }

  /** The first fatal error; null while there is none. */
  get error(): unknown {
    return this.failure;
  }

  /** Records the first fatal error and stops every connection. */
  fail(error: unknown): void {
    if (this.failure === null) this.failure = error;
    this.internal.abort(error);
  }

  /** Stops every connection, with the first error or else the job's reason. */
  stopAll(): void {
    this.internal.abort(this.failure ?? this.job.signal.reason);
  }

  /**
   * When the error is a restart from zero: takes it and answers its kind. The internal
   * controller is spent, so a fresh one replaces it, still tied to the job's signal.
   */
  restart(): RestartNeeded['kind'] | null {
    if (!(this.failure instanceof RestartNeeded)) return null;
    const kind = this.failure.kind;
    this.failure = null;
    // The listener added at construction aborts whichever controller is current.
    this.internal = this.newController();
    if (this.job.signal.aborted) this.stopOnAbort();
    return kind;
  }
}
