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
      samples.push({ at: now - start, target: feed.sample(now, received, 1, 256 * MiB - received) });
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

  it.each([
    {
      server: 'paces each connection: the window ends at its second look, the step paid',
      shared: false,
      looks: [60, 85],
      target: 8,
      settled: true,
    },
    {
      // Tried from a first window that ended early: one connection is measured again.
      server: 'caps the connections together: looked at until the window ends, and dropped',
      shared: true,
      looks: [60, 85, 110, 135, 160, 185, 210, 235, 250],
      target: 1,
      settled: false,
    },
  ])(
    'samples when a step’s connections have all answered, and in the window that starts then: a server that $server',
    ({ shared, looks, target, settled }) => {
      vi.useFakeTimers();
      const settings = resolveSettings({ now: () => Date.now(), loopTime: () => ({ active: 0, idle: Date.now() }) });
      const start = Date.now();
      const feed = new RampFeed(settings, 8, 8, 0);
      let open = 1;
      let waiting = 0;
      const samples: { at: number; target: number }[] = [];
      feed.begin((now) => {
        // 20 MiB/s a connection, or for them all: 256 MiB is clearly slow on one.
        const received = ((now - start) / 1000) * 20 * MiB * (shared ? 1 : open);
        const target = feed.sample(now, received, open, 256 * MiB - received, { waiting });
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
      // Answered 5 ms after the step: its window starts 15 ms after it, is looked at where its
      // start part ends and then each eighth, and measured at its end at the latest, 200 ms on.
      vi.advanceTimersByTime(9);
      expect(samples.at(-1)).toEqual({ at: 50, target: 8 });
      vi.advanceTimersByTime(300);
      expect(samples.slice(4).map((sample) => sample.at)).toEqual(looks);
      expect(samples.at(-1)!.target).toBe(target);
      expect(feed.ramp.settled).toBe(settled);
      feed.stop();
      expect(vi.getTimerCount()).toBe(0);
    },
  );

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
