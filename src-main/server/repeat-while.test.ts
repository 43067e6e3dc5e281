import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { repeatWhile } from './repeat-while';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('repeatWhile', () => {
  it('runs from arm until a run finds nothing to go on for', () => {
    let open = 0;
    let checks = 0;
    const checker = repeatWhile(
      () => (checks += 1),
      () => open > 0,
      1000,
    );
    vi.advanceTimersByTime(5000);
    expect(checks).toBe(0);
    expect(vi.getTimerCount()).toBe(0);

    open = 2;
    checker.arm();
    checker.arm(); // a second stream: still one timer
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(3000);
    expect(checks).toBe(3);

    open = 0;
    vi.advanceTimersByTime(1000);
    expect(checks).toBe(4); // the check that found the last stream gone
    vi.advanceTimersByTime(5000);
    expect(checks).toBe(4);
    expect(vi.getTimerCount()).toBe(0);

    open = 1;
    checker.arm();
    vi.advanceTimersByTime(1000);
    expect(checks).toBe(5);
    checker.stop();
    vi.advanceTimersByTime(5000);
    expect(checks).toBe(5);
  });
});
