import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { DownloadJob, Job, PluginJob } from '../../../src-common/contract';
import { downloadJob } from '../../test/job-fixtures';
import { openTestCenter, settle, type TestCenter } from '../../test/job-kit';
import { applyStep, jobStep } from '../../test/job-steps';
import { ManualClock } from '../clock';
import { EventHub, type SequencedEvent, type Subscription } from './event-hub';

function download(id: string, patch: Partial<DownloadJob> = {}): DownloadJob {
  return downloadJob({ id, url: `https://a.example/${id}`, fileName: null, dir: '/tmp', ...patch });
}

function drain(subscription: Subscription): SequencedEvent[] {
  const events: SequencedEvent[] = [];
  for (let e = subscription.poll(); e; e = subscription.poll()) events.push(e);
  return events;
}

function hub(clock = new ManualClock()) {
  return { clock, hub: new EventHub({ clock, snapshot: () => ({ jobs: [], actionJobs: [], tasks: [] }) }) };
}

describe('event hub', () => {
  it('starts every subscriber with init', () => {
    const { hub: h } = hub();
    const sub = h.subscribe();
    expect(drain(sub).map((e) => e.event)).toEqual(['init']);
  });

  it('throttles download progress to one event per 500 ms, trailing edge keeps the last value', () => {
    const { clock, hub: h } = hub();
    const sub = h.subscribe();
    drain(sub);
    h.publish('updated', download('a', { progress: 10 }), false);
    for (let p = 11; p <= 20; p += 1) {
      clock.advance(20);
      h.publish('updated', download('a', { progress: p }), false);
    }
    expect(drain(sub).map((e) => (e.data as { job: Job }).job.progress)).toEqual([10]);
    clock.advance(500);
    expect(drain(sub).map((e) => (e.data as { job: Job }).job.progress)).toEqual([20]);
  });

  it('throttles plugin progress at 200 ms and names events action_*', () => {
    const { clock, hub: h } = hub();
    const sub = h.subscribe();
    drain(sub);
    const job = { source: 'plugin', id: 'p'.repeat(16), progress: 5 } as PluginJob;
    h.publish('updated', job, false);
    h.publish('updated', { ...job, progress: 6 }, false);
    clock.advance(199);
    expect(drain(sub).map((e) => e.event)).toEqual(['action_updated']);
    clock.advance(1);
    expect(drain(sub).map((e) => [e.event, (e.data as { job: Job }).job.progress])).toEqual([['action_updated', 6]]);
  });

  it("sends each job's held-back progress when its own interval ends, downloads and plugin jobs side by side", () => {
    const { clock, hub: h } = hub();
    const sub = h.subscribe();
    drain(sub);
    const plugin = { source: 'plugin', id: 'p'.repeat(16), progress: 5 } as PluginJob;
    const sent = () =>
      drain(sub).map((e) => `${(e.data as { job: Job }).job.id}:${(e.data as { job: Job }).job.progress}`);
    h.publish('updated', download('a', { progress: 1 }), false); // sent; a's next is due at 500
    clock.advance(100);
    h.publish('updated', download('b', { progress: 1 }), false); // sent; b's next is due at 600
    h.publish('updated', download('a', { progress: 2 }), false);
    h.publish('updated', download('b', { progress: 2 }), false);
    clock.advance(200);
    h.publish('updated', plugin, false); // sent; its next is due at 500 (300 + 200)
    h.publish('updated', { ...plugin, progress: 6 }, false);
    expect(sent()).toEqual(['a:1', 'b:1', `${plugin.id}:5`]);
    clock.advance(199);
    expect(sent()).toEqual([]);
    clock.advance(1); // 500
    expect(sent()).toEqual(['a:2', `${plugin.id}:6`]);
    h.publish('updated', download('b', { status: 'completed', progress: 100 }), true); // b's held one superseded
    clock.advance(1000);
    expect(sent()).toEqual(['b:100']);
  });

  it('sends status changes and 100% at once, superseding held-back progress', () => {
    const { clock, hub: h } = hub();
    const sub = h.subscribe();
    drain(sub);
    h.publish('updated', download('a', { progress: 1 }), false);
    h.publish('updated', download('a', { progress: 2 }), false);
    h.publish('updated', download('a', { progress: 100 }), false);
    h.publish('updated', download('a', { status: 'completed', progress: 100 }), true);
    clock.advance(1000);
    const got = drain(sub).map(
      (e) => `${(e.data as { job: Job }).job.status}:${(e.data as { job: Job }).job.progress}`,
    );
    expect(got).toEqual(['downloading:1', 'downloading:100', 'completed:100']);
  });

  it('skips a slow subscriber and resynchronises it with a fresh init, never blocking others', () => {
    const clock = new ManualClock();
    const h = new EventHub({
      clock,
      snapshot: () => ({ jobs: [download('x')], actionJobs: [], tasks: [] }),
      bufferSize: 100,
    });
    const slow = h.subscribe();
    const fast = h.subscribe();
    drain(fast);
    drain(slow);
    for (let i = 0; i < 150; i += 1) {
      h.publish('added', download(`j${i}`), true);
      expect(drain(fast)).toHaveLength(1);
    }
    expect(slow.resyncs).toBe(1);
    const events = drain(slow);
    expect(events[0]!.event).toBe('init');
    expect(events.length).toBeLessThanOrEqual(100);
  });

  it('replays what a reconnecting client missed, without gap or duplicate', () => {
    const { hub: h } = hub();
    const first = h.subscribe();
    h.publish('added', download('a'), true);
    h.publish('added', download('b'), true);
    const seen = drain(first);
    first.close();
    h.publish('added', download('c'), true);
    h.publish('removed', download('a'), true);
    const again = h.subscribe({ lastEventId: seen.at(-1)!.id });
    const replayed = drain(again);
    expect(replayed.map((e) => e.event)).toEqual(['added', 'removed']);
    expect(replayed.map((e) => e.id)).toEqual([seen.at(-1)!.id + 1, seen.at(-1)!.id + 2]);
  });

  it('falls back to init when the missed events are no longer held', () => {
    const clock = new ManualClock();
    const h = new EventHub({ clock, snapshot: () => ({ jobs: [], actionJobs: [], tasks: [] }), replaySize: 3 });
    for (let i = 0; i < 10; i += 1) h.publish('added', download(`j${i}`), true);
    expect(drain(h.subscribe({ lastEventId: 2 })).map((e) => e.event)).toEqual(['init']);
  });
});

/** A client's view: init replaces everything, the rest upsert or delete by id. */
function rebuild(events: SequencedEvent[], state = new Map<string, Job>()): Map<string, Job> {
  for (const e of events) {
    if (e.event === 'init') {
      state.clear();
      for (const job of [...e.data.jobs, ...e.data.actionJobs]) state.set(job.id, job);
    } else if (e.data.type === 'removed') state.delete(e.data.job.id);
    else state.set(e.data.job.id, e.data.job);
  }
  return state;
}

describe('a subscriber rebuilding state from init + events', () => {
  let t: TestCenter | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  it('always ends equal to the live state, with a deliberately slow subscriber too', async () => {
    let resyncs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(jobStep, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        async (steps, slowEvery) => {
          t = openTestCenter({
            retention: { finishedTtlMs: 3000, pausedTtlMs: 6000, sweepEveryMs: 1500 },
            eventBufferSize: 4,
          });
          const { center } = t;
          const fast = center.hub.subscribe();
          const slow = center.hub.subscribe();
          const fastState = new Map<string, Job>();
          const slowState = new Map<string, Job>();
          for (const [i, s] of steps.entries()) {
            await applyStep(s, t);
            await settle(2);
            rebuild(drain(fast), fastState);
            if (i % slowEvery === 0) rebuild(drain(slow), slowState);
          }
          center.hub.flush();
          rebuild(drain(fast), fastState);
          rebuild(drain(slow), slowState);
          const live = new Map(center.registry.liveJobs().map((e) => [e.job.id, e.job]));
          expect(fastState).toEqual(live);
          expect(slowState).toEqual(live);
          resyncs += slow.resyncs;
          await t.dispose();
          t = undefined;
        },
      ),
      { numRuns: 60 },
    );
    // The slow subscriber really did fall behind and get resynchronised.
    expect(resyncs).toBeGreaterThan(0);
  });
});

describe('end of a job', () => {
  it('delivers the final state even when the last progress was held back', async () => {
    const t = openTestCenter();
    const sub = t.center.hub.subscribe();
    const [job] = t.center.submit({ url: 'https://a.example/x' }).jobs;
    const attempt = t.engine.running()[0]!;
    attempt.context.progress({ receivedBytes: 10, totalBytes: 100, speed: 1, connections: 1 });
    attempt.context.progress({ receivedBytes: 20, totalBytes: 100, speed: 1, connections: 1 });
    attempt.context.enterProcessing();
    attempt.succeed();
    await settle();
    const state = rebuild(drain(sub));
    expect(state.get(job!.id)).toMatchObject({ status: 'completed', progress: 100 });
    await t.dispose();
  });
});
