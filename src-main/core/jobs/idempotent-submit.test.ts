import { afterEach, describe, expect, it } from 'vitest';
import { openTestCenter, type TestCenter } from '../../test/job-kit';

let t: TestCenter | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('an idempotent submit', () => {
  it('with a skipped line between new URLs replays every job it made, in order', () => {
    t = openTestCenter();
    const active = t.center.submit({ url: 'https://a.example/active.bin' }).jobs[0]!;
    const first = t.center.submit({
      url: 'https://a.example/1.bin\nhttps://a.example/active.bin\nhttps://a.example/2.bin\nhttps://a.example/3.bin',
      idempotencyKey: 'batch',
    });
    expect(first.jobs.map((j) => j.url)).toEqual([
      'https://a.example/1.bin',
      'https://a.example/2.bin',
      'https://a.example/3.bin',
    ]);
    expect(first.invalid).toMatchObject([{ line: 2, message: expect.stringContaining(active.id) }]);
    const again = t.center.submit({ url: 'https://a.example/1.bin', idempotencyKey: 'batch' });
    expect(again.jobs.map((j) => j.id)).toEqual(first.jobs.map((j) => j.id));
    expect(t.center.registry.liveJobs()).toHaveLength(4);
  });

  it('replays the jobs as they are now, not as SQLite last had them', () => {
    t = openTestCenter();
    const [job] = t.center.submit({ url: 'https://a.example/live.bin', idempotencyKey: 'now' }).jobs;
    // Started at once, and the start is held in memory until the download has a name.
    expect(t.center.store.get(job!.id)?.job.status).toBe('pending');
    const [again] = t.center.submit({ url: 'https://a.example/live.bin', idempotencyKey: 'now' }).jobs;
    expect(again).toMatchObject({ id: job!.id, status: 'downloading' });
  });

  it('keys of another submit that share a prefix stay apart', () => {
    t = openTestCenter();
    const one = t.center.submit({ url: 'https://a.example/x\nhttps://a.example/y', idempotencyKey: 'k' });
    const other = t.center.submit({ url: 'https://a.example/z', idempotencyKey: 'k2' });
    expect(t.center.submit({ url: 'https://a.example/q', idempotencyKey: 'k' }).jobs.map((j) => j.id)).toEqual(
      one.jobs.map((j) => j.id),
    );
    expect(t.center.submit({ url: 'https://a.example/q', idempotencyKey: 'k2' }).jobs.map((j) => j.id)).toEqual(
      other.jobs.map((j) => j.id),
    );
  });

  it('a key another kind of job holds is a conflict naming that job, not that job answered as a download', () => {
    t = openTestCenter();
    const task = t.center.tasks.create({ name: 'Backup', idempotencyKey: 'shared' }, { kind: 'api' });
    expect(() => t!.center.submit({ url: 'https://a.example/x', idempotencyKey: 'shared' })).toThrow(task.id);
    expect(t.center.registry.liveJobs()).toHaveLength(1);
  });
});
