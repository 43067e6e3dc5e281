import { describe, expect, it } from 'vitest';
import { LimitPayment } from './limit-payment';
import { createRateLimiter } from './rate-limiter';

describe('LimitPayment', () => {
  it('grants a quarter second of the strictest limit, nothing without a limit', () => {
    const own = createRateLimiter(0);
    const global = createRateLimiter(0);
    const payment = new LimitPayment([own, global]);
    expect(payment.grant()).toBe(0);
    own.setRate(400_000);
    global.setRate(100_000);
    expect(payment.grant()).toBe(25_000);
    own.setRate(4_000);
    expect(payment.grant()).toBe(1024);
  });

  it('asks for a payment once a grant is owed, and ends it when the limit is lifted', async () => {
    const limiter = createRateLimiter(1);
    const payment = new LimitPayment([limiter]);
    const signal = new AbortController().signal;
    expect(payment.owe(1000, signal)).toBeNull();
    // 1024 bytes at 1 byte a second, beyond the burst: this would take most of an hour.
    const paid = payment.owe(3000, signal);
    expect(paid).not.toBeNull();
    let done = false;
    void paid!.then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toBe(false);
    limiter.setRate(0);
    await paid;
    expect(done).toBe(true);
  });

  it('rejects with the reason when the download stops during a payment', async () => {
    const payment = new LimitPayment([createRateLimiter(1)]);
    const controller = new AbortController();
    const paid = payment.owe(4096, controller.signal)!;
    controller.abort('paused');
    await expect(paid).rejects.toBe('paused');
  });
});
