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

  it('samples when a step’s connections have all answered, and when the window that starts then ends', () => {
    vi.useFakeTimers();
    const settings = resolveSettings({ now: () => Date.now(), loopTime: () => ({ active: 0, idle: Date.now() }) });
    const start = Date.now();
    const feed = new RampFeed(settings, 8, 8, 0);
    let open = 1;
    let waiting = 0;
    const samples: { at: number; target: number }[] = [];
    feed.begin((now) => {
      // Each connection open brings 20 MiB/s: 256 MiB is clearly slow on one.
      const received = ((now - start) / 1000) * 20 * MiB * open;
      const target = feed.sample(now, received, open, 256 * MiB - received, 0, waiting);
      samples.push({ at: now - start, target });
    });
    vi.advanceTimersByTime(35);
    expect(samples.at(-1)).toEqual({ at: 35, target: 8 });
    // The trial's seven new connections: until the last answers, no sample is taken for them.
    open = 8;
    waiting = 7;
    feed.answered(6);
    vi.advanceTimersByTime(5);
    expect(samples).toHaveLength(2);
    waiting = 0;
    feed.answered(0);
    vi.advanceTimersByTime(1);
    expect(samples.at(-1)).toEqual({ at: 40, target: 8 });
    // Answered 5 ms after the step: its window starts 15 ms after it, and is measured at its
    // end, 200 ms on, not at a tick.
    vi.advanceTimersByTime(9);
    expect(samples.at(-1)).toEqual({ at: 50, target: 8 });
    vi.advanceTimersByTime(199);
    expect(samples).toHaveLength(4);
    vi.advanceTimersByTime(1);
    expect(samples).toEqual([
      { at: 10, target: 1 },
      { at: 35, target: 8 },
      { at: 40, target: 8 },
      { at: 50, target: 8 },
      { at: 250, target: 8 },
    ]);
    expect(feed.ramp.settled).toBe(true);
    feed.stop();
    expect(vi.getTimerCount()).toBe(0);
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
