import { afterEach, describe, expect, it } from 'vitest';
import { downloadJob } from '../../test/job-fixtures';
import { openTestCenter, settle, settleCompletions, type TestCenter } from '../../test/job-kit';
import { startRetention } from './retention';
import { JobFailure } from './runner';

let t: TestCenter;
afterEach(async () => {
  await t?.dispose();
});

const hour = 60 * 60_000;

describe('live list retention (event-stream API)', () => {
  it('finished jobs leave after 1 h with a removed event; history keeps them', async () => {
    t = openTestCenter();
    const [done] = t.center.submit({ url: 'https://a.example/1' }).jobs;
    t.engine.running()[0]!.succeed();
    await settle();
    const events = t.center.hub.subscribe();
    events.poll();
    t.clock.advance(hour - 5 * 60_000);
    expect(t.center.registry.isLive(done!.id)).toBe(true);
    t.clock.advance(5 * 60_000 + 2000); // the next sweep
    expect(t.center.registry.isLive(done!.id)).toBe(false);
    expect(events.poll()).toMatchObject({ event: 'removed', data: { job: { id: done!.id } } });
    expect(t.center.list({ status: 'completed' }).jobs.map((j) => j.id)).toEqual([done!.id]);
  });

  it('paused jobs leave after 24 h, active ones never', () => {
    t = openTestCenter();
    const [paused] = t.center.submit({ url: 'https://a.example/p', paused: true }).jobs;
    const [active] = t.center.submit({ url: 'https://a.example/a' }).jobs;
    t.clock.advance(23 * hour);
    expect(t.center.registry.isLive(paused!.id)).toBe(true);
    t.clock.advance(hour + 5 * 60_000);
    expect(t.center.registry.isLive(paused!.id)).toBe(false);
    expect(t.center.registry.isLive(active!.id)).toBe(true);
    // A retired paused job can still be resumed from history.
    t.center.resume(paused!.id);
    expect(t.center.registry.isLive(paused!.id)).toBe(true);
  });
});

describe('history (the job-management, queues and job-queue APIs)', () => {
  it('keeps only the newest completed and failed jobs beyond the caps', async () => {
    t = openTestCenter({ retention: { keepCompleted: 2, keepFailed: 1 } });
    t.settings.update({ maxConcurrentDownloads: 10 });
    const jobs = t.center.submit({ url: [1, 2, 3, 4, 5, 6].map((i) => `https://a.example/${i}`).join('\n') }).jobs;
    const attempts = t.engine.running();
    for (const [i, attempt] of attempts.entries()) {
      t.clock.advance(1000);
      if (i < 4) attempt.succeed();
      else attempt.fail(new JobFailure('http', '404'));
      await settle();
    }
    t.clock.advance(hour + 5 * 60_000);
    const left = t.center.list({}).jobs.map((j) => j.id);
    expect(left.sort()).toEqual([jobs[2]!.id, jobs[3]!.id, jobs[5]!.id].sort());
  });

  it('deletes history older than jobExpiryDays', async () => {
    t = openTestCenter();
    t.settings.update({ jobExpiryDays: 2 });
    t.center.submit({ url: 'https://a.example/old' });
    t.engine.running()[0]!.succeed();
    await settle();
    t.clock.advance(47 * hour);
    expect(t.center.list({}).total).toBe(1);
    t.clock.advance(2 * hour);
    expect(t.center.list({}).total).toBe(0);
  });

  it('cleanup(daysOld) removes finished jobs older than that, never active ones', async () => {
    t = openTestCenter();
    t.center.submit({ url: 'https://a.example/done' });
    t.engine.running()[0]!.succeed();
    await settle();
    t.clock.advance(3 * 24 * hour);
    t.center.submit({ url: 'https://a.example/now' });
    expect(t.center.cleanup(7)).toBe(0);
    expect(t.center.cleanup(2)).toBe(1);
    expect(
      t.center.list({}).jobs.map((j) => (j.source === 'download' ? j.url : j.source === 'plugin' ? j.label : j.name)),
    ).toEqual(['https://a.example/now']);
  });

  it("a failed download's partial file goes when its history row does: by the caps, by expiry and by cleanup", async () => {
    const discarded: [string, unknown][] = [];
    t = openTestCenter({
      retention: { keepFailed: 1 },
      discardPart: async (dir, state) => {
        discarded.push([dir, state]);
      },
    });
    t.settings.update({ maxConcurrentDownloads: 10, jobExpiryDays: 30 });
    const jobs = t.center.submit({ url: [1, 2, 3, 4].map((i) => `https://a.example/${i}`).join('\n') }).jobs;
    for (const [i, attempt] of t.engine.running().entries()) {
      t.clock.advance(1000);
      attempt.context.saveState({ part: i });
      // The last one completes: its state is dropped with its success.
      if (i < 3) attempt.fail(new JobFailure('http', '404'));
      else attempt.succeed();
      await settle();
    }
    // Out of the live list, then the cap keeps the newest failed one only.
    t.clock.advance(hour + 5 * 60_000);
    await settle();
    expect(discarded).toEqual([
      [jobs[0]!.dir, { part: 0 }],
      [jobs[1]!.dir, { part: 1 }],
    ]);
    expect(t.center.list({ status: 'failed' }).jobs.map((j) => j.id)).toEqual([jobs[2]!.id]);
    t.clock.advance(24 * hour);
    expect(t.center.cleanup(1)).toBe(2);
    await settle();
    expect(discarded).toHaveLength(3);
    expect(discarded[2]).toEqual([jobs[2]!.dir, { part: 2 }]);
  });

  it('clearCompleted takes completed jobs out of the live list only', async () => {
    t = openTestCenter();
    t.center.submit({ url: 'https://a.example/1\nhttps://a.example/2' });
    t.engine.running()[0]!.succeed();
    await settleCompletions(t.clock);
    expect(t.center.clearCompleted()).toBe(1);
    expect(t.center.registry.liveJobs()).toHaveLength(1);
    expect(t.center.list({}).total).toBe(2);
  });
});

describe('restart', () => {
  it('brings moving downloads back pending with their bytes, fails running plugin jobs as interrupted, keeps paused', async () => {
    t = openTestCenter();
    const [moving, paused] = t.center.submit({ url: 'https://a.example/m\nhttps://a.example/p' }).jobs;
    t.center.pause(paused!.id);
    const attempt = t.engine.running().find((a) => a.context.job.id === moving!.id)!;
    attempt.context.progress({ receivedBytes: 400, totalBytes: 1000, speed: 100, connections: 1 });
    attempt.context.saveState({ offset: 400 });
    const plugin = t.pluginJob(
      { pluginName: 'p', actionId: 'a', label: 'l', entityType: 'custom' },
      () => new Promise(() => undefined),
    );
    t.clock.advance(1000); // the progress flush
    await settle();
    t = await t.restart();
    // The attempt the restart cut short is not counted: this is the job's first again.
    expect(t.center.registry.get(moving!.id)).toMatchObject({ status: 'downloading', receivedBytes: 400, attempts: 1 });
    expect(t.engine.running()[0]!.context.resumeState).toEqual({ offset: 400 });
    expect(t.center.registry.get(paused!.id).status).toBe('paused');
    expect(t.center.registry.get(plugin.id)).toMatchObject({ status: 'failed', error: { kind: 'interrupted' } });
    expect(() => t.center.retry(plugin.id)).toThrow(/cannot be run again/);
  });
});

describe('a large history backlog', () => {
  it('is pruned a batch at a time across sweeps, down to the caps', () => {
    t = openTestCenter({ retention: { keepCompleted: 100, keepFailed: 10, pruneBatch: 2000 } });
    const now = t.clock.now();
    t.db.transaction(() => {
      for (let i = 1; i <= 5000; i += 1) {
        t.center.store.insert({
          job: downloadJob({
            id: i.toString(16).padStart(8, '0'),
            status: 'completed',
            finishedAt: now - i,
            position: i,
          }),
          position: i,
          live: false,
          notBefore: null,
          resumeState: null,
        });
      }
    })();
    const sizes: number[] = [];
    for (let sweeps = 0; sweeps < 10; sweeps += 1) {
      const before = t.center.list({ limit: 1 }).total;
      t.clock.advance(sweeps === 0 ? 2000 : 20);
      sizes.push(before - t.center.list({ limit: 1 }).total);
    }
    expect(sizes.slice(0, 4)).toEqual([2000, 2000, 900, 0]);
    expect(t.center.list({ limit: 1 }).total).toBe(100);
    // The newest 100 are the ones kept.
    expect(t.center.list({ order: '-finishedAt', limit: 1 }).jobs[0]!.id).toBe('00000001');
    expect(t.center.list({ order: 'finishedAt', limit: 1 }).jobs[0]!.id).toBe((100).toString(16).padStart(8, '0'));
  });
});

describe('a sweep that meets a damaged page of the database', () => {
  it('tells once and stops sweeping, instead of throwing from its timer', () => {
    t = openTestCenter();
    const damaged = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
    let prunes = 0;
    const told: unknown[] = [];
    const pruner = {
      prune: () => {
        prunes += 1;
        throw damaged;
      },
    };
    const stop = startRetention(t.center.registry, pruner, t.clock, { onDamaged: (error) => told.push(error) });
    t.clock.advance(5000);
    t.clock.advance(60 * 60_000);
    stop();
    expect(prunes).toBe(1);
    expect(told).toEqual([damaged]);
  });
});
