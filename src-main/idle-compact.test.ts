import { describe, expect, it } from 'vitest';
import { compactWhenIdle, fullCollection } from './idle-compact';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Keeps a core busy for `ms`, in slices so timers still run. */
async function busyFor(ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const slice = Date.now() + 15;
    while (Date.now() < slice) {
      // spinning on purpose
    }
    await sleep(1);
  }
}

describe('compactWhenIdle', () => {
  it('collects once the process turns idle after a stretch of work, and again after the next', async () => {
    let collections = 0;
    const watcher = compactWhenIdle({ checkMs: 100, idleCheckMs: 150, workMs: 50, collect: () => (collections += 1) });
    try {
      await sleep(400);
      expect(collections).toBe(0); // idle, but no work since the start
      await busyFor(600);
      await sleep(500);
      expect(collections).toBe(1);
      await busyFor(600);
      await sleep(500);
      expect(collections).toBe(2);
    } finally {
      watcher.cancel();
    }
  });

  it('looks rarely while nothing happens, often once work is seen', async () => {
    // The process's CPU time as the watcher sees it: still while idle, rising while at work.
    let cpuMs = 0;
    let checks = 0;
    const cpuUsage = () => {
      checks += 1;
      return { user: cpuMs * 1000, system: 0 };
    };
    const watcher = compactWhenIdle({ checkMs: 50, idleCheckMs: 500, workMs: 50, collect: () => undefined, cpuUsage });
    try {
      checks = 0;
      await sleep(1100);
      // Every 500 ms, not every 50 ms.
      expect(checks).toBeLessThanOrEqual(3);
      const work = setInterval(() => (cpuMs += 10), 10);
      try {
        await sleep(600); // the next look sees the work
        checks = 0;
        await sleep(400);
        expect(checks).toBeGreaterThanOrEqual(5);
      } finally {
        clearInterval(work);
      }
    } finally {
      watcher.cancel();
    }
  });

  it('does not collect while the process is busy', async () => {
    let collections = 0;
    const watcher = compactWhenIdle({ checkMs: 100, idleCheckMs: 150, workMs: 50, collect: () => (collections += 1) });
    try {
      await busyFor(600);
      expect(collections).toBe(0);
    } finally {
      watcher.cancel();
    }
  });
});

describe('fullCollection', () => {
  it('collects what nothing refers to any more, without exposing gc to the program', async () => {
    // Made in a function of its own, so nothing in this one refers to it.
    const ref = ((): WeakRef<object> => new WeakRef({ big: new Array(1000).fill('x') }))();
    // A WeakRef keeps its target for the rest of the job that made it.
    await sleep(0);
    fullCollection();
    expect(ref.deref()).toBeUndefined();
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
