import { monotonicClock, type Clock } from '../clock';

/**
 * A token bucket shared by the connections it limits. Callers queue in arrival order, so
 * connections that ask in turn get equal shares; the rate can change at any time and
 * the waiting callers are rescheduled at once.
 */
export interface RateLimiter {
  /** Bytes per second; 0 means unlimited. */
  readonly rate: number;
  setRate(bytesPerSecond: number): void;
  /** Resolves once `bytes` may pass; rejects with the signal's reason when aborted. */
  take(bytes: number, signal?: AbortSignal): Promise<void>;
}

interface Waiter {
  bytes: number;
  resolve(): void;
  reject(reason: unknown): void;
  timer: unknown;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** The largest grant, in seconds of traffic: keeps bursts short when the rate is low. */
const burstSeconds = 0.25;

export function createRateLimiter(bytesPerSecond = 0, clock: Clock = monotonicClock): RateLimiter {
  let rate = Math.max(0, bytesPerSecond);
  // Virtual time at which the bucket is next free: a grant of n bytes moves it n/rate on.
  let nextFree = clock.now();
  const waiters: Waiter[] = [];

  const finish = (waiter: Waiter): void => {
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
    const index = waiters.indexOf(waiter);
    if (index >= 0) waiters.splice(index, 1);
  };

  const schedule = (): void => {
    const now = clock.now();
    nextFree = Math.max(nextFree, now - burstSeconds * 1000);
    for (const waiter of waiters) {
      if (waiter.timer !== undefined) clock.clearTimeout(waiter.timer);
      if (rate === 0) {
        waiter.timer = undefined;
        queueMicrotask(() => {
          finish(waiter);
          waiter.resolve();
        });
        continue;
      }
      const at = nextFree;
      nextFree += (waiter.bytes / rate) * 1000;
      waiter.timer = clock.setTimeout(
        () => {
          finish(waiter);
          waiter.resolve();
        },
        Math.max(0, at - now),
      );
    }
  };

  return {
    get rate() {
      return rate;
    },
    setRate(bytesPerSecond: number) {
      const next = Math.max(0, bytesPerSecond);
      if (next === rate) return;
      rate = next;
      // Waiters were scheduled at the old rate: drop their reservations and queue them
      // again, in the same order, at the new one.
      nextFree = clock.now();
      schedule();
    },
    take(bytes: number, signal?: AbortSignal): Promise<void> {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (rate === 0 || bytes <= 0) return Promise.resolve();
      const now = clock.now();
      nextFree = Math.max(nextFree, now - burstSeconds * 1000);
      if (nextFree <= now && waiters.length === 0) {
        // Within the burst allowance: no timer round trip.
        nextFree += (bytes / rate) * 1000;
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          bytes,
          resolve,
          reject,
          timer: undefined,
          signal,
          onAbort: () => {
            if (waiter.timer !== undefined) clock.clearTimeout(waiter.timer);
            finish(waiter);
            reject(signal?.reason);
          },
        };
        signal?.addEventListener('abort', waiter.onAbort, { once: true });
        const at = nextFree;
        nextFree += (bytes / rate) * 1000;
        waiters.push(waiter);
        waiter.timer = clock.setTimeout(
          () => {
            finish(waiter);
            resolve();
          },
          Math.max(0, at - now),
        );
      });
    },
  };
}

/** The most bytes one grant should cover at `rate`, so no caller waits long alone. */
export function grantSize(rate: number, fallback: number): number {
  if (rate <= 0) return fallback;
  return Math.max(1024, Math.min(fallback, Math.floor(rate * burstSeconds)));
}
