import type { EngineSettings } from './engine-options';
import { LimitPayment } from './limit-payment';
import type { RateLimiter } from './rate-limiter';
import { WaitTime } from './wait-time';

/** The connection that waits: its last sign of life, cleared while it waits (see SegmentWorker.activeAt). */
export interface Waiter {
  activeAt: number | null;
}

/** What the waits use of the transfer: its stop signal and its clock. */
export interface WaitHost {
  readonly signal: AbortSignal;
  readonly settings: Pick<EngineSettings, 'now'>;
}

/**
 * What holds a connection back that is not the network: the speed limits it pays, and
 * room at the disk. While it waits it shows no sign of life, so the wait is not taken
 * for a stall, and the time is counted as held for the transfer to take.
 */
export class ConnectionWaits {
  /** Its waits for the disk or a speed limit not yet taken by the transfer. */
  private readonly heldTime = new WaitTime();
  /** What this connection owes the speed limits. */
  private readonly payment: LimitPayment;

  constructor(
    private readonly waiter: Waiter,
    private readonly host: WaitHost,
    limiters: readonly RateLimiter[],
  ) {
    this.payment = new LimitPayment(limiters);
  }

  /** The bytes one grant covers under the strictest limit; 0 when no limit applies. */
  grant(): number {
    return this.payment.grant();
  }

  /** Pays for `bytes` once a grant's worth is owed; null when nothing is to wait for. */
  payLimits(bytes: number): Promise<void> | null {
    const payment = this.payment.owe(bytes, this.host.signal);
    return payment && this.held(payment);
  }

  /** Waits for a speed limit's payment, then for room at the disk. */
  async settle(limited: Promise<void> | null, waiting: Promise<void> | null): Promise<void> {
    try {
      if (limited) await limited;
    } finally {
      // Awaited even when the limit failed: a failed write is never left unhandled.
      if (waiting) await this.held(waiting);
    }
  }

  /** Waits for the disk or a speed limit: not a network stall, and counted as held. */
  private async held(waiting: Promise<void>): Promise<void> {
    this.waiter.activeAt = null;
    this.heldTime.begin(this.host.settings.now());
    try {
      await waiting;
    } finally {
      this.endHold();
    }
  }

  private endHold(): void {
    const now = this.host.settings.now();
    this.waiter.activeAt = now;
    this.heldTime.end(now);
  }

  /**
   * Milliseconds this connection waited for the disk or a speed limit since the last
   * call, a wait still going on included: the link did not hold it back then.
   */
  takeHeld(now: number): number {
    return this.heldTime.take(now);
  }
}
