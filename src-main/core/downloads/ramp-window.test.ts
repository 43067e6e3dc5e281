import { describe, expect, it } from 'vitest';
import { RampWindow } from './ramp-window';

const MiB = 1024 * 1024;
const windowMs = 200;

describe('ramp window', () => {
  it('takes a whole window from one arrival to another, not from a quiet connection', () => {
    const window = new RampWindow(windowMs);
    window.begin(10 * MiB, 1000, { received: 9 * MiB, at: 990 });
    // 8 MiB over 200 ms from the arrival before the window: 40 MiB/s.
    expect(window.arrivalRate({ received: 17 * MiB, at: 1190 })).toBe(40 * MiB);
    // Arrivals under half a window apart say nothing of the window.
    expect(window.arrivalRate({ received: 12 * MiB, at: 1089 })).toBeNull();
    expect(window.arrivalRate(null)).toBeNull();
    window.begin(10 * MiB, 1000, null);
    expect(window.arrivalRate({ received: 17 * MiB, at: 1190 })).toBeNull();
  });

  it('counts the busy share of the time fed, and starts each window with none', () => {
    const window = new RampWindow(windowMs);
    window.feed(0, 0, 0);
    window.begin(0, 0, null);
    window.feed(100, 0.5, 30);
    window.feed(150, 2, 10);
    expect(window.busyMs).toBe(100);
    expect(window.diskMs).toBe(40);
    window.begin(0, 150, null);
    expect(window.busyMs).toBe(0);
    expect(window.diskMs).toBe(0);
  });

  it('reads a steady rate once the part after its first sample is long enough and no faster', () => {
    const window = new RampWindow(windowMs);
    window.feed(0, 0, 0);
    window.begin(0, 0, null);
    // The start part (5% of the window, 10 ms), then 1 MiB every 10 ms.
    window.lookAt(1 * MiB, 10);
    expect(window.steadyRate(2 * MiB, 20)).toBe(0);
    expect(window.steadyRate(3 * MiB, 30)).toBe(100 * MiB);
    // Still rising: more than `growthFactor` times the part before.
    expect(window.steadyRate(6 * MiB, 30)).toBe(0);
    // A second look does not move the first.
    window.lookAt(2 * MiB, 20);
    expect(window.look).toEqual({ received: 1 * MiB, at: 10, busyMs: 0 });
  });

  it('measures a part still rising under a bound against all before it, from a look moved there', () => {
    const rising = (moveUnder: number) => {
      const window = new RampWindow(windowMs);
      window.feed(0, 0, 0);
      window.begin(0, 0, null);
      // A first part slow with the engine starting (0.3 MiB in 21 ms), then 20 and 19 MiB/s.
      window.lookAt(0.3 * MiB, 21);
      const second = window.steadyRate(0.8 * MiB, 46, moveUnder);
      return [second, window.steadyRate(1.275 * MiB, 71, moveUnder) / MiB];
    };
    // Against the first part alone, every part after it is rising.
    expect(rising(0)).toEqual([0, 0]);
    // Against the 0.8 MiB of the 46 ms before it (17.4 MiB/s), 19 MiB/s since is steady.
    const [second, third] = rising(64 * MiB);
    expect(second).toBe(0);
    expect(third).toBeCloseTo(19, 6);
    // Faster than the bound, the look stays.
    expect(rising(10 * MiB)).toEqual([0, 0]);
  });

  it('reads no steady rate from a part the main thread was mostly busy in', () => {
    const window = new RampWindow(windowMs);
    window.feed(0, 0, 0);
    window.begin(0, 0, null);
    window.lookAt(1 * MiB, 10);
    window.feed(30, 0.6, 0);
    expect(window.steadyRate(3 * MiB, 30)).toBe(0);
  });
});
