import { grantSize, type RateLimiter } from './rate-limiter';

/**
 * What one connection owes the speed limits over it: its download's and the global one.
 * Received bytes are paid once a grant's worth is owed rather than per chunk, in grants
 * small enough that connections take turns; what is owed carries over to the
 * connection's next answer.
 */
export class LimitPayment {
  private owed = 0;

  constructor(private readonly limiters: readonly RateLimiter[]) {}

  /** The bytes one grant covers under the strictest limit; 0 when no limit applies. */
  grant(): number {
    let rate = 0;
    for (const limiter of this.limiters) {
      if (limiter.rate > 0 && (rate === 0 || limiter.rate < rate)) rate = limiter.rate;
    }
    return rate === 0 ? 0 : grantSize(rate, 64 * 1024);
  }

  /** Owes `bytes`: once a grant's worth is owed, the payment to wait for; else null. */
  owe(bytes: number, signal: AbortSignal): Promise<void> | null {
    const grant = this.grant();
    if (grant === 0) return null;
    this.owed += bytes;
    if (this.owed < grant) return null;
    const owed = this.owed;
    this.owed = 0;
    return this.pay(owed, signal);
  }

  /** Pays grant by grant; a limit lifted meanwhile is no longer paid. */
  private async pay(bytes: number, signal: AbortSignal): Promise<void> {
    let left = bytes;
    while (left > 0) {
      const grant = Math.min(left, this.grant() || left);
      for (const limiter of this.limiters) if (limiter.rate > 0) await limiter.take(grant, signal);
      left -= grant;
    }
  }
}
