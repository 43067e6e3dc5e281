import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../clock';
import { createRateLimiter, grantSize } from './rate-limiter';

const clock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Starts `count` callers that each take `bytes` `rounds` times; records the order of grants. */
function contend(limiter: ReturnType<typeof createRateLimiter>, count: number, bytes: number, rounds: number) {
  const grants: number[] = [];
  const done = Array.from({ length: count }, async (_, id) => {
    for (let i = 0; i < rounds; i += 1) {
      await limiter.take(bytes);
      grants.push(id);
    }
  });
  return { grants, done: Promise.all(done) };
}

describe('rate limiter', () => {
  it('lets everything through at once when unlimited', async () => {
    const limiter = createRateLimiter(0, clock);
    const { grants, done } = contend(limiter, 3, 1000, 5);
    await done;
    expect(grants).toHaveLength(15);
  });

  it('spaces grants at the rate, from the clock it was given', async () => {
    const limiter = createRateLimiter(1000, clock);
    const { grants, done } = contend(limiter, 1, 250, 12);
    // 250 ms of burst passes at once, then 250 bytes per 250 ms.
    await vi.advanceTimersByTimeAsync(0);
    const first = grants.length;
    expect(first).toBeLessThanOrEqual(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(grants.length - first).toBeGreaterThanOrEqual(3);
    expect(grants.length - first).toBeLessThanOrEqual(5);
    await vi.advanceTimersByTimeAsync(5000);
    await done;
  });

  it('shares fairly: connections asking in turn get equal turns', async () => {
    const limiter = createRateLimiter(4000, clock);
    const { grants, done } = contend(limiter, 4, 500, 10);
    await vi.advanceTimersByTimeAsync(2500);
    const counts = [0, 1, 2, 3].map((id) => grants.filter((g) => g === id).length);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    await vi.advanceTimersByTimeAsync(10_000);
    await done;
  });

  it('applies a new rate to callers already waiting', async () => {
    const limiter = createRateLimiter(100, clock);
    const { grants, done } = contend(limiter, 2, 1000, 3);
    await vi.advanceTimersByTimeAsync(100);
    const before = grants.length;
    limiter.setRate(0);
    await vi.advanceTimersByTimeAsync(0);
    await done;
    expect(before).toBeLessThan(6);
    expect(grants).toHaveLength(6);
  });

  it('rejects a waiting caller with the abort reason', async () => {
    const limiter = createRateLimiter(10, clock);
    await limiter.take(100);
    const controller = new AbortController();
    const waiting = limiter.take(100, controller.signal);
    controller.abort('paused');
    await expect(waiting).rejects.toBe('paused');
  });

  it('keeps grants small at low rates', () => {
    expect(grantSize(0, 65536)).toBe(65536);
    expect(grantSize(8192, 65536)).toBe(2048);
    expect(grantSize(100, 65536)).toBe(1024);
  });
});
