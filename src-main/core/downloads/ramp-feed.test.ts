import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveSettings } from './engine-options';
import { RampFeed } from './ramp-feed';

const MiB = 1024 * 1024;

describe('ramp feed', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('samples the first window where its start ends and then every eighth, until it ends', () => {
    vi.useFakeTimers();
    // The main thread always idle; windows of 200 ms.
    const settings = resolveSettings({ now: () => Date.now(), loopTime: () => ({ active: 0, idle: Date.now() }) });
    const start = Date.now();
    const feed = new RampFeed(settings, 8, 8, 0);
    const samples: { at: number; target: number }[] = [];
    feed.begin((now) => {
      // A server sending 20 MiB/s: the rest of 256 MiB is clearly slow on one connection.
      const received = ((now - start) / 1000) * 20 * MiB;
      samples.push({ at: now - start, target: feed.sample(now, received, 1, 256 * MiB - received, 0) });
    });
    vi.advanceTimersByTime(200);
    expect(samples).toEqual([
      { at: 10, target: 1 },
      { at: 35, target: 8 },
    ]);
    // The window ended with the trial: no timer is left.
    expect(vi.getTimerCount()).toBe(0);
    feed.stop();
  });

  it('arms no timer for a download that keeps one connection', () => {
    vi.useFakeTimers();
    const settings = resolveSettings({ now: () => Date.now(), loopTime: () => ({ active: 0, idle: Date.now() }) });
    const feed = new RampFeed(settings, 1, 1, 0);
    const sample = vi.fn();
    feed.begin(sample);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(200);
    expect(sample).not.toHaveBeenCalled();
    feed.stop();
  });
});
