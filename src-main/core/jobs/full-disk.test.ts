import { afterEach, describe, expect, it, vi } from 'vitest';
import { openTestCenter, settle, type TestCenter } from '../../test/job-kit';
import { toErrorShape } from '../errors';
import { JobFailure } from './runner';

let t: TestCenter | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await t?.dispose();
  t = undefined;
});

/** What better-sqlite3 throws when the disk that holds the database is full. */
function fullDisk(): Error {
  return Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
}

/** Every write of a job refused as on a full disk, until the returned function is called. */
function fillDisk(center: TestCenter['center']): () => void {
  const store = center.store;
  const refuse = () => {
    throw fullDisk();
  };
  const spies = [
    vi.spyOn(store, 'save').mockImplementation(refuse),
    vi.spyOn(store, 'saveResumeState').mockImplementation(refuse),
    vi.spyOn(store, 'appendLog').mockImplementation(refuse),
    vi.spyOn(store, 'insertMany').mockImplementation(refuse),
  ];
  return () => spies.forEach((spy) => spy.mockRestore());
}

/** A center with one download running, its start saved, and then the disk full. */
function downloadOnFullDisk(): { t: TestCenter; id: string; free: () => void } {
  const opened = openTestCenter();
  t = opened;
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const [job] = opened.center.submit({ url: 'https://a.example/f.iso' }).jobs;
  opened.center.registry.flushProgress();
  return { t: opened, id: job!.id, free: fillDisk(opened.center) };
}

describe('a full disk under the database', () => {
  it("holds the work's own changes in memory and saves them once SQLite writes again", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    t = openTestCenter({ backoff: { baseMs: 1000, maxMs: 1000 } });
    const [job] = t.center.submit({ url: 'https://a.example/f.iso', maxAttempts: 3 }).jobs;
    const id = job!.id;
    t.center.registry.flushProgress();
    const free = fillDisk(t.center);

    const attempt = t.engine.running()[0]!;
    attempt.context.progress({ receivedBytes: 40, totalBytes: 100, speed: 5, connections: 1, fileName: 'f.iso' });
    attempt.context.saveState({ v: 1, at: 40 });
    t.clock.advance(1000);
    attempt.fail(new JobFailure('network', 'connection reset', { transient: true }));
    await settle();

    // Nothing thrown to the process: the job moved on in memory, and was told once.
    expect(t.center.registry.get(id)).toMatchObject({ status: 'pending', receivedBytes: 40 });
    expect(t.center.registry.get(id).message).toMatch(/^Retrying in 1 s: connection reset/);
    expect(t.center.store.get(id)?.job.status).toBe('downloading');
    expect(warn.mock.calls.filter(([line]) => String(line).includes('could not save'))).toHaveLength(1);

    free();
    t.clock.advance(1000);
    await settle();
    t.center.registry.flushProgress();
    // SQLite holds what the live list holds, resume state included.
    const live = t.center.registry.stored(id)!;
    expect(t.center.store.get(id)).toEqual(live);
    expect(live.resumeState).toEqual({ v: 1, at: 40 });
    expect(warn.mock.calls.some(([line]) => String(line).includes('written again'))).toBe(true);
  });

  it("refuses a user's change and a new job with a clear error, and loses neither", async () => {
    const { t: c, id, free } = downloadOnFullDisk();

    const refusals = [() => c.center.pause(id), () => c.center.submit({ url: 'https://a.example/g.iso' })];
    for (const refused of refusals) {
      let error: unknown;
      try {
        refused();
      } catch (thrown) {
        error = thrown;
      }
      expect(toErrorShape(error)).toEqual({
        kind: 'unavailable',
        message: 'Haul could not save to its database: the disk that holds it is full. Free some space and try again.',
      });
    }
    expect(c.center.registry.get(id).status).toBe('downloading');
    expect(c.center.registry.liveJobs()).toHaveLength(1);

    // A selection's change too: refused, not held in memory to be written later.
    const [selected] = await c.center.each('pause', [id]);
    expect(toErrorShape(selected)).toMatchObject({ kind: 'unavailable' });
    expect(c.center.registry.get(id).status).toBe('downloading');
    const all = await c.center.pauseAll().catch((error: unknown) => error);
    expect(toErrorShape(all)).toMatchObject({ kind: 'unavailable' });
    expect(c.center.registry.get(id).status).toBe('downloading');

    free();
    c.center.pause(id);
    await settle();
    expect(c.center.store.get(id)?.job.status).toBe('paused');
  });

  it('refuses to remove jobs while the disk is full, and keeps every one of them', async () => {
    const { t: c, id, free } = downloadOnFullDisk();
    free();
    const [other] = c.center.submit({ url: 'https://a.example/g.iso', paused: true }).jobs;
    c.center.cancel(id);
    await settle();
    vi.spyOn(c.center.store, 'delete').mockImplementation(() => {
      throw fullDisk();
    });
    const errors = await c.center.removeEach([id, other!.id]);
    // The paused one's cancel went through; neither left SQLite, and both say why.
    expect(errors.map((error) => toErrorShape(error).kind)).toEqual(['unavailable', 'unavailable']);
    for (const job of [id, other!.id]) {
      expect(c.center.registry.get(job).status).toBe('cancelled');
      expect(c.center.store.get(job)).toBeDefined();
    }
  });

  it('completes a download that finishes while the disk is full, in SQLite once it has room', async () => {
    const { t: c, id, free } = downloadOnFullDisk();
    c.engine.running()[0]!.succeed({ totalBytes: 100 });
    await settle();
    expect(c.center.registry.get(id).status).toBe('completed');
    expect(c.center.store.get(id)?.job.status).toBe('downloading');

    free();
    c.clock.advance(1000);
    expect(c.center.store.get(id)?.job).toMatchObject({ status: 'completed', receivedBytes: 100 });
  });

  it("fails a silent task on its heartbeat's timer while the disk is full, and saves that later", () => {
    t = openTestCenter();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const job = t.center.tasks.create({ name: 'Backup', heartbeatSec: 10, start: true }, { kind: 'api' });
    t.center.registry.flushProgress();
    const free = fillDisk(t.center);
    // The timer's transition must not throw out of the clock (in the app: out of the process).
    expect(() => t!.clock.advance(10_500)).not.toThrow();
    expect(t.center.registry.get(job.id)).toMatchObject({ status: 'failed', error: { kind: 'stalled' } });
    free();
    t.clock.advance(1000);
    expect(t.center.store.get(job.id)?.job).toMatchObject({ status: 'failed', error: { kind: 'stalled' } });
  });
});

describe('a job the database refuses', () => {
  it('is said, and the other jobs held with it are saved, instead of the flush throwing from its timer', async () => {
    t = openTestCenter();
    const jobs = t.center.submit({ url: 'https://a.example/one.iso\nhttps://a.example/two.iso' }).jobs;
    const [bad, good] = jobs.map((job) => job.id);
    t.center.registry.flushProgress();
    const store = t.center.store;
    const save = store.save.bind(store);
    vi.spyOn(store, 'save').mockImplementation((entry, written) => {
      if (entry.job.id === bad) throw new Error('NOT NULL constraint failed: jobs.progress');
      save(entry, written);
    });
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    for (const attempt of t.engine.running()) {
      attempt.context.progress({ receivedBytes: 40, totalBytes: 100, speed: 5, connections: 1, fileName: 'f.iso' });
    }
    expect(() => t!.clock.advance(1000)).not.toThrow();
    expect(error).toHaveBeenCalledTimes(1);
    expect(String(error.mock.calls[0]![0])).toMatch(new RegExp(`job ${bad} could not be saved.*NOT NULL`));
    expect(store.get(good!)?.job).toMatchObject({ receivedBytes: 40, totalBytes: 100 });
    expect(store.get(bad!)?.job).toMatchObject({ receivedBytes: 0 });
  });
});
