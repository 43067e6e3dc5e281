export interface BackoffOptions {
  /** @default 1000 */
  baseMs?: number;
  /** @default 60000 */
  maxMs?: number;
  /** 0..1, the share of the delay that is randomised. @default 0.3 */
  jitter?: number;
  random?: () => number;
}

/**
 * Delay before attempt `attempt + 1`: capped exponential with jitter, and never sooner
 * than the server asked for with Retry-After.
 */
export function retryDelay(attempt: number, retryAfterMs: number | undefined, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 60_000;
  const jitter = options.jitter ?? 0.3;
  const random = options.random ?? Math.random;
  const exponential = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  const delay = Math.round(exponential * (1 - jitter + jitter * random()));
  return Math.max(delay, Math.min(retryAfterMs ?? 0, 60 * 60_000));
}
