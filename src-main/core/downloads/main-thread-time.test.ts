import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveSettings } from './engine-options';
import {
  mainThreadClock,
  measuresLoop,
  processThreadClock,
  type ThreadTime,
  type ThreadTimeSources,
} from './main-thread-time';
import { RampFeed } from './ramp-feed';

const MiB = 1024 * 1024;

/** A runtime whose clocks the test moves: wall time, the thread's CPU and the loop's own. */
function runtime({ loopMeasured, threadCpu }: { loopMeasured: boolean; threadCpu: boolean }) {
  const state = { now: 0, cpuMs: 0, loopMeasured, loop: { active: 0, idle: 0 } };
  const sources: ThreadTimeSources = {
    loopMeasured: () => state.loopMeasured,
    loopUtilization: () => ({ ...state.loop }),
    threadCpu: threadCpu ? () => ({ user: state.cpuMs * 700, system: state.cpuMs * 300 }) : undefined,
    now: () => state.now,
  };
  return { state, sources };
}

describe('the main thread clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reads the event loop's utilization where Node runs the loop", () => {
    const { state, sources } = runtime({ loopMeasured: true, threadCpu: true });
    const clock = mainThreadClock(sources);
    state.loop = { active: 12, idle: 30 };
    state.cpuMs = 99;
    expect(clock()).toEqual({ active: 12, idle: 30 });
  });

  it("reads the thread's CPU time where Node does not measure its loop, as in Electron's main process", () => {
    const { state, sources } = runtime({ loopMeasured: false, threadCpu: true });
    state.now = 1000;
    state.cpuMs = 400;
    const clock = mainThreadClock(sources);
    expect(clock()).toEqual({ active: 0, idle: 0 });
    state.now = 1100;
    state.cpuMs = 490;
    // 90 of the last 100 ms on the CPU; the loop's own numbers (all zero there) are not used.
    expect(clock()).toEqual({ active: 90, idle: 10 });
  });

  it('keeps the clock it started with, so readings can be subtracted', () => {
    const { state, sources } = runtime({ loopMeasured: false, threadCpu: true });
    const clock = mainThreadClock(sources);
    clock();
    state.loopMeasured = true;
    state.loop = { active: 5000, idle: 5000 };
    state.now = 50;
    state.cpuMs = 20;
    expect(clock()).toEqual({ active: 20, idle: 30 });
  });

  it('reads nothing as busy where neither is there', () => {
    const { state, sources } = runtime({ loopMeasured: false, threadCpu: false });
    const clock = mainThreadClock(sources);
    state.now = 100;
    expect(clock()).toEqual({ active: 0, idle: 0 });
  });

  it('tells a measured loop by its marked start and its idle time', () => {
    // Before the loop starts, as Node reports it.
    expect(measuresLoop({ loopStart: -1, idleTime: 0 })).toBe(false);
    // A start marked without idle-time metrics: the utilization would read a full thread.
    expect(measuresLoop({ loopStart: 120, idleTime: 0 })).toBe(false);
    expect(measuresLoop({ loopStart: 120, idleTime: 4.5 })).toBe(true);
    expect(measuresLoop(performance.nodeTiming)).toBe(true);
  });

  it("measures this process's main thread", () => {
    const clock = processThreadClock();
    const before = clock();
    const spinUntil = performance.now() + 30;
    while (performance.now() < spinUntil);
    const after = clock();
    expect(after.active - before.active).toBeGreaterThanOrEqual(25);
  });

  it("keeps a download on one connection while the thread's CPU shows the thread full, where the loop is not measured", () => {
    vi.useFakeTimers();
    /** When a 20 MiB/s download of 256 MiB first tries more connections, in ms; null: not in 400 ms. */
    const trialAt = (busyShare: number, clockOf: (sources: ThreadTimeSources) => () => ThreadTime) => {
      const { state, sources } = runtime({ loopMeasured: false, threadCpu: true });
      const start = Date.now();
      const settings = resolveSettings({ now: () => Date.now(), loopTime: clockOf(sources) });
      const feed = new RampFeed(settings, 8, 8, 0);
      let trial: number | null = null;
      const sample = (now: number) => {
        state.now = now - start;
        state.cpuMs = state.now * busyShare;
        const received = ((now - start) / 1000) * 20 * MiB;
        if (feed.sample(now, received, 1, 256 * MiB - received) > 1) trial ??= now - start;
      };
      feed.begin(sample);
      // The first window's early samples, then the samples that end it and the next.
      vi.advanceTimersByTime(200);
      sample(Date.now());
      vi.advanceTimersByTime(200);
      sample(Date.now());
      feed.stop();
      return trial;
    };
    expect(trialAt(0.1, mainThreadClock)).toBe(35);
    expect(trialAt(0.95, mainThreadClock)).toBeNull();
    // The loop's utilization alone reads the full thread as idle there.
    expect(trialAt(0.95, (sources) => sources.loopUtilization)).toBe(35);
  });
});
