import { JobFailure } from '../jobs/runner';

/** What the limits read of a connection, and the one thing they do to it. */
export interface LimitedConnection {
  readonly retired: boolean;
  /** Why it was stopped alone; null while it runs. */
  readonly dropped: unknown;
  /** A request of its own is out and no byte of its answer has come yet. */
  readonly unanswered: boolean;
  drop(reason: unknown): void;
}

/** Failures of one connection that other connections may not share. */
const connectionKinds = new Set(['http', 'network', 'stalled', 'timeout']);

/**
 * Of those, the ones a server answers at once (a refusing status, a reset): cheap to
 * meet again, unlike a request left unanswered, which costs a stall timeout to find out.
 */
const refusalKinds = new Set(['http', 'network']);

/** The longest wait between two tries of one connection more (see `recover`). */
const maxRetryMs = 60_000;

/**
 * How many connections a server takes from one client. A server that limits them
 * refuses the extra one (a 503 or 429, a reset) or leaves its request unanswered, and
 * refuses neither the file nor the connections it already serves: such a connection ends
 * alone, its piece goes back to the others, and no more than they are opened until a
 * wait has passed (see `recover`): the limit may count the connections of another download
 * from the same server, which ends. The last connection's failure, and one no other
 * connection can get past (the disk, a certificate, the file changing), end the download.
 */
export class ConnectionLimits {
  /** At most this many connections: the server refused one beyond them. */
  ceiling = Number.POSITIVE_INFINITY;
  /** When the bytes received last grew, as the checks saw it. */
  private grew = { at: 0, received: 0 };
  /** When one connection more may be tried (see `recover`); null: not this attempt. */
  private retryAt: number | null = null;
  private retryMs: number;
  /** The ceiling was last raised by `recover`: a refusal now refuses that step. */
  private raised = false;
  /** A connection was left unanswered (or timed out): no more tries this attempt. */
  private unanswered = false;

  constructor(
    private readonly stallTimeoutMs: number,
    private readonly log: (line: string) => void,
    private readonly recoverAfterMs = 5000,
  ) {
    this.retryMs = recoverAfterMs;
  }

  /** A new round: bytes count as just received. */
  restart(now: number, received: number): void {
    this.grew = { at: now, received };
  }

  /** True when the download goes on without `connection`, which failed with `error` at `now`. */
  spare(connection: LimitedConnection, error: unknown, all: Iterable<LimitedConnection>, now: number): boolean {
    if (!(error instanceof JobFailure) || !connectionKinds.has(error.kind) || error.certificate) return false;
    let others = 0;
    for (const other of all) if (other !== connection && !other.retired && other.dropped === null) others += 1;
    // One stopped alone while the server still sent bytes: a new connection takes its piece.
    if (others === 0 && connection.dropped === null) return false;
    this.ceiling = Math.min(this.ceiling, Math.max(1, others));
    if (!refusalKinds.has(error.kind)) this.unanswered = true;
    if (this.unanswered) {
      this.retryAt = null;
    } else {
      if (this.raised) this.retryMs = Math.min(this.retryMs * 2, maxRetryMs);
      this.raised = false;
      this.retryAt = now + this.retryMs;
    }
    this.log(`A connection ended (${error.message}): going on with ${others}.`);
    return true;
  }

  /**
   * Raises the ceiling by one when `wanted` connections are more than it, `open` are at
   * it (a step no connection took is no step), and the wait since the last refusal, or
   * the last step, is over: what the server counted may have been another download's
   * connections, gone since, or one it still counted as it closed. Refused again, the
   * next step waits twice as long (at most a minute: a server at its limit is asked once
   * a minute); taken, the next waits as long as the first. Never once a connection was
   * left unanswered: each try would cost a stall timeout. True when raised.
   */
  recover(now: number, wanted: number, open: number): boolean {
    if (this.retryAt === null || now < this.retryAt || wanted <= this.ceiling || open < this.ceiling) return false;
    // The last step was not refused within its wait: the server took it.
    if (this.raised) this.retryMs = this.recoverAfterMs;
    this.ceiling += 1;
    this.raised = true;
    this.retryAt = now + this.retryMs;
    this.log(`Trying ${this.ceiling} connections again.`);
    return true;
  }

  /**
   * Stops alone the `stalled` connections while another still brings bytes, or when the
   * ramp let the others go and the stalled ones' requests were never answered though
   * bytes came within the stall timeout. Returns `failure` when the download must end:
   * always when it is not `ranged` (no other connection can take up a piece).
   */
  stalls(
    now: number,
    received: number,
    stalled: LimitedConnection[],
    all: Iterable<LimitedConnection>,
    failure: () => JobFailure,
    ranged: boolean,
  ): JobFailure | null {
    if (received !== this.grew.received) this.grew = { at: now, received };
    if (stalled.length === 0) return null;
    if (!ranged) return failure();
    let live = 0;
    for (const c of all) if (!c.retired && c.dropped === null && !stalled.includes(c)) live += 1;
    const replaceable = stalled.every((c) => c.unanswered) && now - this.grew.at <= this.stallTimeoutMs;
    const reason = failure();
    if (live === 0 && !replaceable) return reason;
    for (const connection of stalled) connection.drop(reason);
    return null;
  }
}
