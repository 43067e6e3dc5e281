import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openTestCenter, settle, settleCompletions, type TestCenter } from '../../test/job-kit';
import { watchColumns } from '../../test/watch-columns';
import { completionWindowMs } from './scheduler';

let t: TestCenter | undefined;

/** Runs the promise callbacks that are due, but no later turn of the event loop. */
async function microtasks(): Promise<void> {
  for (let i = 0; i < 50; i += 1) await Promise.resolve();
}

/** The statuses a subscription was told of since the last call, per job. */
function told(events: ReturnType<TestCenter['center']['hub']['subscribe']>): Record<string, string[]> {
  const seen: Record<string, string[]> = {};
  for (let event = events.poll(); event; event = events.poll()) {
    const job = (event.data as { job?: { id: string; status: string } }).job;
    if (job) (seen[job.id] ??= []).push(job.status);
  }
  return seen;
}
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

describe('the registry writes what changed', () => {
  it('progress held in memory, then a transition: SQLite ends with exactly the live job', async () => {
    t = openTestCenter();
    const [job] = t.center.submit({ url: 'https://a.example/f.iso' }).jobs;
    const id = job!.id;
    const attempt = t.engine.running()[0]!;
    // The held start goes out first: what follows is progress alone.
    t.center.registry.flushProgress();
    const seen = watchColumns(t.db);
    const row = () => t!.db.prepare(`SELECT * FROM jobs WHERE id = ?`).get(id);
    const same = () => {
      t!.center.registry.flushProgress();
      const live = t!.center.registry.stored(id)!;
      expect(t!.center.store.get(id)).toEqual(live);
      // Every column too (the sort and filter ones are not read back into the job).
      const written = row();
      t!.center.store.save(live);
      expect(written).toEqual(row());
    };
    attempt.context.progress({ receivedBytes: 10, totalBytes: 100, speed: 5, connections: 1, fileName: 'f.iso' });
    attempt.context.saveState({ v: 1, at: 10 });
    attempt.context.progress({ receivedBytes: 50, totalBytes: 100, speed: 5, connections: 1 });
    t.center.registry.flushProgress();
    expect(seen()).not.toContain('status');
    same();
    attempt.context.progress({ receivedBytes: 60, totalBytes: 100, speed: 5, connections: 1 });
    t.center.pause(id);
    await settle();
    same();
    expect(t.center.store.get(id)?.job).toMatchObject({ status: 'paused', receivedBytes: 60, fileName: 'f.iso' });
    t.center.resume(id);
    t.engine.running()[0]!.context.progress({ receivedBytes: 70, totalBytes: 100, speed: 5, connections: 1 });
    t.engine.running()[0]!.succeed();
    await settle();
    same();
    expect(t.center.store.get(id)).toMatchObject({ resumeState: null, job: { status: 'completed', progress: 100 } });
    t.center.registry.retire(id);
    expect(t.center.store.get(id)).toMatchObject({ live: false, job: { status: 'completed' } });
  });

  it('processing is held in memory and written with the outcome; every check sees it meanwhile', async () => {
    t = openTestCenter();
    const [a, b] = t.center.submit({ url: 'https://a.example/1.iso\nhttps://a.example/2.iso' }).jobs;
    const events = t.center.hub.subscribe();
    events.poll();
    const [first, second] = t.engine.running();
    const column = (id: string) => t!.db.prepare(`SELECT status FROM jobs WHERE id = ?`).pluck().get(id);
    first!.context.enterProcessing();
    expect(t.center.registry.get(a!.id).status).toBe('processing');
    expect(events.poll()?.data).toMatchObject({ type: 'updated', job: { id: a!.id, status: 'processing' } });
    // Start and processing are both held: a crash now finds it pending, which resumes
    // from its saved bytes as a recovered downloading or processing job would.
    expect(column(a!.id)).toBe('pending');
    expect(() => t!.center.pause(a!.id)).toThrow(/is processing/);
    // The second is still in flight: the completion may wait for it to share the commit.
    first!.succeed();
    await settleCompletions(t.clock);
    expect(column(a!.id)).toBe('completed');
    expect(t.center.store.get(a!.id)?.job).toMatchObject({ status: 'completed', message: 'Completed' });

    second!.context.progress({ receivedBytes: 5, totalBytes: 100, speed: 5, connections: 1 });
    second!.context.enterProcessing();
    const counts = t.center.queues().queues.find((q) => q.name === 'download')!.counts;
    expect(counts).toMatchObject({ pending: 0, downloading: 0, processing: 1, completed: 1 });
    // The poll wrote nothing: its counts are corrected for the statuses held in memory.
    expect(column(b!.id)).toBe('pending');
    t.center.cancel(b!.id);
    await settle();
    expect(column(b!.id)).toBe('cancelled');
  });

  it('completions of one turn commit together, and none is seen before its commit', async () => {
    t = openTestCenter();
    const ids = t.center.submit({ url: 'https://a.example/1.iso\nhttps://a.example/2.iso' }).jobs.map((j) => j.id);
    const events = t.center.hub.subscribe();
    told(events);
    const column = (id: string) => t!.db.prepare(`SELECT status FROM jobs WHERE id = ?`).pluck().get(id);
    const transactions = vi.spyOn(t.db, 'transaction');
    for (const attempt of t.engine.running()) attempt.succeed();
    await microtasks();
    // Both wait for the end of the turn: not in memory, not in SQLite, not told.
    for (const id of ids) {
      expect(t.center.registry.get(id).status).toBe('processing');
      expect(column(id)).toBe('pending');
    }
    expect(Object.values(told(events)).flat()).not.toContain('completed');
    expect(transactions).not.toHaveBeenCalled();
    await settle();
    expect(transactions).toHaveBeenCalledTimes(1);
    for (const id of ids) {
      expect(column(id)).toBe('completed');
      expect(t.center.store.get(id)).toEqual(t.center.registry.stored(id));
    }
    const seen = told(events);
    expect(ids.map((id) => seen[id]?.at(-1))).toEqual(['completed', 'completed']);
  });

  it('a completion with downloads still in flight waits for them to share its commit, the last of a burst does not', async () => {
    t = openTestCenter();
    const urls = [1, 2, 3, 4].map((n) => `https://a.example/${n}.iso`).join('\n');
    const ids = t.center.submit({ url: urls }).jobs.map((j) => j.id);
    const column = (id: string) => t!.db.prepare(`SELECT status FROM jobs WHERE id = ?`).pluck().get(id);
    const attempt = (i: number) => t!.engine.running().find((a) => a.context.job.id === ids[i])!;
    const transactions = vi.spyOn(t.db, 'transaction');
    attempt(0).succeed();
    await settle();
    t.clock.advance(completionWindowMs - 1);
    await settle();
    expect(column(ids[0]!)).toBe('pending');
    expect(t.center.registry.get(ids[0]!).status).toBe('processing');
    attempt(1).succeed();
    await settle();
    // The window of the first: both in one commit.
    t.clock.advance(1);
    await settle();
    expect(transactions).toHaveBeenCalledTimes(1);
    expect([column(ids[0]!), column(ids[1]!)]).toEqual(['completed', 'completed']);
    // The third waits for the fourth; the fourth, with nothing else in flight, commits
    // both at the end of its turn, the clock standing still.
    attempt(2).succeed();
    await settle();
    expect(column(ids[2]!)).toBe('pending');
    attempt(3).succeed();
    await settle();
    expect(transactions).toHaveBeenCalledTimes(2);
    expect([column(ids[2]!), column(ids[3]!)]).toEqual(['completed', 'completed']);
    for (const id of ids) expect(t.center.store.get(id)).toEqual(t.center.registry.stored(id));
  });

  it('a completion waiting for its window commits once nothing else is in flight, however the others ended', async () => {
    t = openTestCenter();
    const [a, b] = t.center.submit({ url: 'https://a.example/1.iso\nhttps://a.example/2.iso' }).jobs;
    const column = (id: string) => t!.db.prepare(`SELECT status FROM jobs WHERE id = ?`).pluck().get(id);
    const attempt = (id: string) => t!.engine.running().find((running) => running.context.job.id === id)!;
    attempt(a!.id).succeed();
    await settle();
    expect(column(a!.id)).toBe('pending');
    attempt(b!.id).fail(new Error('the disk went away'));
    await settle();
    expect(column(a!.id)).toBe('completed');
  });

  it('a plugin job running holds no completion back: a lone download commits at the end of its turn', async () => {
    t = openTestCenter();
    t.pluginJob(
      { pluginName: 'p', actionId: 'a', label: 'l', entityType: 'custom' },
      () => new Promise(() => undefined),
    );
    const [job] = t.center.submit({ url: 'https://a.example/1.iso' }).jobs;
    const column = (id: string) => t!.db.prepare(`SELECT status FROM jobs WHERE id = ?`).pluck().get(id);
    t.engine.running()[0]!.succeed();
    await settle();
    expect(column(job!.id)).toBe('completed');
  });

  it('a completion waiting for its window commits as the job center closes, before it waits on the rest', async () => {
    t = openTestCenter();
    const [a, b] = t.center.submit({ url: 'https://a.example/1.iso\nhttps://a.example/2.iso' }).jobs;
    const column = (id: string) => t!.db.prepare(`SELECT status FROM jobs WHERE id = ?`).pluck().get(id);
    t.engine
      .running()
      .find((attempt) => attempt.context.job.id === a!.id)!
      .succeed();
    await settle();
    expect(column(a!.id)).toBe('pending');
    const closing = t.center.close();
    expect(column(a!.id)).toBe('completed');
    await closing;
    expect(column(b!.id)).not.toBe('completed');
  });

  it("a selection's changes commit in one transaction; each is refused alone, when asked or at the commit", async () => {
    t = openTestCenter();
    const urls = Array.from({ length: 6 }, (_, n) => `https://a.example/${n}.iso`).join('\n');
    const ids = t.center.submit({ url: urls, paused: true }).jobs.map((j) => j.id);
    t.center.resume(ids[5]!);
    const column = (id: string) => t!.db.prepare(`SELECT status FROM jobs WHERE id = ?`).pluck().get(id);
    const events = t.center.hub.subscribe();
    told(events);
    const transactions = vi.spyOn(t.db, 'transaction');

    // Five paused and one downloading: the downloading one is refused as it is asked.
    const answers = t.center.each('resume', ids);
    await microtasks();
    expect(transactions).not.toHaveBeenCalled();
    expect(ids.slice(0, 5).map(column)).toEqual(Array(5).fill('paused'));
    const errors = await answers;
    expect(transactions).toHaveBeenCalledTimes(1);
    expect(errors.slice(0, 5)).toEqual(Array(5).fill(null));
    expect(errors[5]).toMatchObject({ kind: 'conflict' });
    expect(ids.slice(0, 5).map(column)).not.toContain('paused');
    // The downloads that started hold their start in memory (see the test below): written now.
    t.center.registry.flushProgress();
    for (const id of ids) expect(t.center.store.get(id)).toEqual(t.center.registry.stored(id));
    expect(Object.keys(told(events)).sort()).toEqual(ids.slice(0, 5).sort());

    // One changed between the ask and the commit: refused then, alone; the others commit.
    const running = t.engine.running().map((a) => a.context.job.id);
    const pausing = t.center.each('pause', running);
    t.center.cancel(running[0]!);
    const refused = await pausing;
    expect(refused[0]).toMatchObject({ kind: 'conflict' });
    expect(refused.slice(1)).toEqual(Array(running.length - 1).fill(null));
    expect(running.map(column)).toEqual(['cancelled', ...Array(running.length - 1).fill('paused')]);
    // Their attempts stopped once the changes were written; the queue's next ones started.
    const now = t.engine.running().map((a) => a.context.job.id);
    expect(now.filter((id) => running.includes(id))).toEqual([]);
  });

  it('a selection removed: the unfinished cancelled together, then every job out of SQLite in one transaction', async () => {
    t = openTestCenter();
    const urls = Array.from({ length: 5 }, (_, n) => `https://a.example/${n}.iso`).join('\n');
    const ids = t.center.submit({ url: urls }).jobs.map((j) => j.id);
    t.center.cancel(ids[0]!);
    await settle();
    const events = t.center.hub.subscribe();
    told(events);
    const transactions = vi.spyOn(t.db, 'transaction');

    const errors = await t.center.removeEach([...ids, 'abcdef12']);
    expect(errors.slice(0, 5)).toEqual(Array(5).fill(null));
    expect(errors[5]).toMatchObject({ kind: 'not_found' });
    // One commit for the four cancels, one for the five deletes.
    expect(transactions).toHaveBeenCalledTimes(2);
    for (const id of ids) {
      expect(t.center.store.get(id)).toBeUndefined();
      expect(t.center.registry.stored(id)).toBeUndefined();
    }
    expect(t.engine.running()).toHaveLength(0);
    // Told of each: the four cancels, then the five gone.
    const kinds: string[] = [];
    for (let event = events.poll(); event; event = events.poll()) kinds.push(event.event);
    expect(kinds).toEqual([...Array(4).fill('updated'), ...Array(5).fill('removed')]);
  });

  it('downloads waiting for their completions to commit hold no slot: the next ones start', async () => {
    t = openTestCenter();
    const urls = [1, 2, 3, 4, 5].map((n) => `https://a.example/${n}.iso`).join('\n');
    const ids = t.center.submit({ url: urls }).jobs.map((j) => j.id);
    const first = t.engine.running();
    expect(first).toHaveLength(3);
    for (const attempt of first) attempt.succeed();
    await microtasks();
    expect(ids.slice(0, 3).map((id) => t!.center.registry.get(id).status)).toEqual(Array(3).fill('processing'));
    expect(t.engine.running().map((a) => a.context.job.id)).toEqual(ids.slice(3));
    await settleCompletions(t.clock);
    expect(ids.slice(0, 3).map((id) => t!.center.registry.get(id).status)).toEqual(Array(3).fill('completed'));
  });

  it('a completion refused at its commit fails alone: the others of its turn commit', async () => {
    t = openTestCenter();
    const [a, b] = t.center.submit({ url: 'https://a.example/1.iso\nhttps://a.example/2.iso' }).jobs;
    const column = (id: string) => t!.db.prepare(`SELECT status FROM jobs WHERE id = ?`).pluck().get(id);
    for (const attempt of t.engine.running()) attempt.succeed();
    await microtasks();
    // Cancelled while its completion waits for the turn's end: the completion is refused.
    t.center.cancel(a!.id);
    await settle();
    expect(t.center.registry.get(a!.id).status).toBe('cancelled');
    expect(column(a!.id)).toBe('cancelled');
    expect(t.center.registry.get(b!.id).status).toBe('completed');
    expect(column(b!.id)).toBe('completed');
    expect(t.center.store.get(b!.id)).toEqual(t.center.registry.stored(b!.id));
  });

  it('a crash before the completions of a turn commit finds the jobs as they were, and they run again', async () => {
    t = openTestCenter();
    const ids = t.center.submit({ url: 'https://a.example/1.iso\nhttps://a.example/2.iso' }).jobs.map((j) => j.id);
    for (const attempt of t.engine.running()) attempt.succeed();
    await microtasks();
    // Killed now, before the turn ends: what a killed process leaves is what SQLite has.
    // The next start reads it, recovers and starts the downloads before this turn ends.
    const again = openTestCenter({ dir: { path: join(t.file, '..'), remove: () => undefined } });
    try {
      for (const id of ids) expect(again.center.registry.get(id)).toMatchObject({ status: 'downloading', attempts: 1 });
      expect(again.engine.running()).toHaveLength(2);
    } finally {
      await again.close();
    }
  });

  it('a start stays held when the download records its name; its next write takes both', async () => {
    t = openTestCenter();
    const [job] = t.center.submit({ url: 'https://a.example/f.iso' }).jobs;
    const id = job!.id;
    const attempt = t.engine.running()[0]!;
    const row = () =>
      t!.db.prepare<[string], { status: string; data: string }>(`SELECT status, data FROM jobs WHERE id = ?`).get(id)!;
    expect(t.center.registry.get(id)).toMatchObject({ status: 'downloading', attempts: 1 });
    expect(row().status).toBe('pending');
    // Every check sees the status held in memory.
    expect(() => t!.center.registry.transition(id, 'start')).toThrow(/is downloading/);
    const seen = watchColumns(t.db);
    attempt.context.saveState({ v: 1, claimed: true }, { fileName: 'f.iso' });
    // The name and the resume state are in SQLite at once; the start's columns are not rewritten.
    expect(t.center.store.get(id)?.resumeState).toEqual({ v: 1, claimed: true });
    expect(JSON.parse(row().data)).toMatchObject({ fileName: 'f.iso', attempts: 0 });
    expect(row().status).toBe('pending');
    expect(seen()).toEqual(['data']);
    expect(t.center.registry.get(id)).toMatchObject({ status: 'downloading', attempts: 1, fileName: 'f.iso' });
    expect(t.center.queues().queues[0]!.counts).toMatchObject({ pending: 0, downloading: 1 });
    // The progress flush (or the next transition) writes the held start.
    t.center.registry.flushProgress();
    expect(row().status).toBe('downloading');
    expect(JSON.parse(row().data)).toMatchObject({ fileName: 'f.iso', attempts: 1 });
    expect(t.center.store.get(id)).toEqual(t.center.registry.stored(id));
  });

  it('a crash after the name was recorded finds the job pending with it, and resumes with its state', async () => {
    t = openTestCenter();
    const [job] = t.center.submit({ url: 'https://a.example/f.iso' }).jobs;
    const id = job!.id;
    t.engine.running()[0]!.context.saveState({ v: 1, claimed: true }, { fileName: 'f.iso' });
    // No close: what a killed process leaves is what SQLite has.
    const again = openTestCenter({ dir: { path: join(t.file, '..'), remove: () => undefined } });
    try {
      await settle();
      expect(again.center.registry.get(id)).toMatchObject({ status: 'downloading', attempts: 1, fileName: 'f.iso' });
      const [attempt] = again.engine.running();
      expect(attempt?.context.resumeState).toEqual({ v: 1, claimed: true });
    } finally {
      await again.close();
    }
  });

  it('a crash while the start is held finds the job pending, and it starts again', async () => {
    t = openTestCenter();
    const [job] = t.center.submit({ url: 'https://a.example/f.iso' }).jobs;
    const id = job!.id;
    expect(t.center.registry.get(id).status).toBe('downloading');
    // No close: what a killed process leaves is what SQLite has.
    const file = t.file;
    const again = openTestCenter({ dir: { path: join(file, '..'), remove: () => undefined } });
    try {
      await settle();
      // Attempt 1 again: the start that was lost is not counted.
      expect(again.center.registry.get(id)).toMatchObject({ status: 'downloading', attempts: 1 });
      expect(again.engine.running()).toHaveLength(1);
    } finally {
      await again.close();
    }
  });
});
