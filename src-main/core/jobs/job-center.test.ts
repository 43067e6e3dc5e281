import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DownloadJob, Job } from '../../../src-common/contract';
import { openTestCenter, settle, settleCompletions, type TestCenter } from '../../test/job-kit';
import { HaulError } from '../errors';
import { JobFailure } from './runner';

let t: TestCenter;
afterEach(async () => {
  await t?.dispose();
});

function statuses(center: TestCenter['center']): Record<string, Job['status']> {
  return Object.fromEntries(center.registry.liveJobs().map((s) => [s.job.id, s.job.status]));
}

/** Opens `t` with the partial files it removes recorded, as [folder, resume state]. */
function openDiscardingCenter(): [string, unknown][] {
  const discarded: [string, unknown][] = [];
  t = openTestCenter({
    discardPart: async (dir, state) => {
      discarded.push([dir, state]);
    },
  });
  return discarded;
}

function submitMany(n: number): DownloadJob[] {
  const text = Array.from({ length: n }, (_, i) => `https://files.example/${i}.bin`).join('\n');
  return t.center.submit({ url: text }).jobs;
}

describe('submit', () => {
  it('creates one job per URL line with 8-hex ids, stored before it answers', () => {
    t = openTestCenter();
    const { jobs, invalid } = t.center.submit({ url: 'https://a.example/1\n\nnot a url\nhttps://a.example/2' });
    expect(jobs.map((j) => j.url)).toEqual(['https://a.example/1', 'https://a.example/2']);
    expect(jobs.every((j) => /^[0-9a-f]{8}$/.test(j.id))).toBe(true);
    expect(invalid).toEqual([{ line: 3, text: 'not a url', message: 'not a URL' }]);
    for (const job of jobs) expect((t.center.store.get(job.id)?.job as DownloadJob).url).toBe(job.url);
  });

  it('refuses input without any valid URL, naming the line', () => {
    t = openTestCenter();
    expect(() => t.center.submit({ url: 'ftp://x.example/a' })).toThrow(/line 1: only http and https/);
  });

  it('returns the first jobs again for a repeated idempotency key', () => {
    t = openTestCenter();
    const first = t.center.submit({ url: 'https://a.example/1\nhttps://a.example/2', idempotencyKey: 'k1' });
    const again = t.center.submit({ url: 'https://other.example/', idempotencyKey: 'k1' });
    expect(again.jobs.map((j) => j.id)).toEqual(first.jobs.map((j) => j.id));
    expect(t.center.registry.liveJobs()).toHaveLength(2);
  });

  it('refuses the same URL while an active job fetches it, unless forced', () => {
    t = openTestCenter();
    const [job] = t.center.submit({ url: 'https://a.example/same' }).jobs;
    expect(() => t.center.submit({ url: 'https://a.example/same' })).toThrow(
      expect.objectContaining({ kind: 'conflict', message: expect.stringContaining(job!.id) }),
    );
    expect(t.center.submit({ url: 'https://a.example/same', force: true }).jobs).toHaveLength(1);
  });

  it('keeps per-download options and can start paused', () => {
    t = openTestCenter();
    const [job] = t.center.submit({
      url: 'https://a.example/f',
      dir: '/tmp/elsewhere',
      fileName: 'x.iso',
      connections: 4,
      paused: true,
      maxAttempts: 2,
      headers: { Referer: 'https://a.example/' },
    }).jobs;
    expect(job).toMatchObject({ status: 'paused', dir: '/tmp/elsewhere', fileName: 'x.iso', maxAttempts: 2 });
    expect(job!.options).toMatchObject({ connections: 4, headers: { Referer: 'https://a.example/' } });
    expect(t.engine.attempts).toHaveLength(0);
  });
});

describe('scheduler', () => {
  it('runs at most 3 downloads at once, in queue order, and starts the next when one ends', async () => {
    t = openTestCenter();
    const jobs = submitMany(5);
    expect(t.engine.running().map((a) => a.context.job.id)).toEqual(jobs.slice(0, 3).map((j) => j.id));
    t.engine.running()[0]!.succeed();
    await settleCompletions(t.clock);
    expect(t.center.registry.get(jobs[0]!.id).status).toBe('completed');
    expect(t.engine.running().map((a) => a.context.job.id)).toEqual(jobs.slice(1, 4).map((j) => j.id));
  });

  it('frees the slot of a download whose bytes are all in, with at most four times the slots processing', async () => {
    t = openTestCenter();
    t.settings.update({ maxConcurrentDownloads: 1 });
    const jobs = submitMany(7);
    const ids = (status: string) =>
      jobs.filter((j) => t.center.registry.get(j.id).status === status).map((j) => jobs.indexOf(j));
    const attempt = (i: number) => t.engine.running().find((a) => a.context.job.id === jobs[i]!.id)!;
    expect(ids('downloading')).toEqual([0]);
    // Syncing and renaming need no connection: the next download starts meanwhile.
    for (let i = 0; i < 4; i += 1) {
      attempt(i).context.enterProcessing();
      expect(ids('downloading')).toEqual([i + 1]);
    }
    expect(ids('processing')).toEqual([0, 1, 2, 3]);
    // A fifth processing takes the slot again: the disk is the limit by then.
    attempt(4).context.enterProcessing();
    expect(ids('processing')).toEqual([0, 1, 2, 3, 4]);
    expect(ids('downloading')).toEqual([]);
    attempt(0).succeed();
    await settleCompletions(t.clock);
    expect(ids('completed')).toEqual([0]);
    expect(ids('downloading')).toEqual([5]);
    expect(ids('pending')).toEqual([6]);
  });

  it('takes a new slot count at runtime without restart', async () => {
    t = openTestCenter();
    submitMany(6);
    expect(t.engine.running()).toHaveLength(3);
    t.settings.update({ maxConcurrentDownloads: 5 });
    expect(t.engine.running()).toHaveLength(5);
    t.settings.update({ maxConcurrentDownloads: 1 });
    for (const a of t.engine.running()) a.succeed();
    await settle();
    expect(t.engine.running()).toHaveLength(1);
  });

  it('honours manual order: move to top starts that job next', async () => {
    t = openTestCenter();
    t.settings.update({ maxConcurrentDownloads: 1 });
    const jobs = submitMany(4);
    const order = t.center.move(jobs[3]!.id, 'top');
    expect(order).toEqual([jobs[3]!.id, jobs[1]!.id, jobs[2]!.id]);
    t.engine.running()[0]!.succeed();
    await settle();
    expect(t.engine.running()[0]!.context.job.id).toBe(jobs[3]!.id);
    expect(t.center.move(jobs[2]!.id, 'up')).toEqual([jobs[2]!.id, jobs[1]!.id]);
    expect(() => t.center.move(jobs[0]!.id, 'down')).toThrow(/not waiting in the download queue/);
  });

  it('priority goes before queue order', () => {
    t = openTestCenter();
    t.settings.update({ maxConcurrentDownloads: 1 });
    submitMany(1);
    const low = t.center.submit({ url: 'https://a.example/low' }).jobs[0]!;
    const high = t.center.submit({ url: 'https://a.example/high', priority: 10 }).jobs[0]!;
    t.engine.running()[0]!.succeed();
    return settle().then(() => {
      expect(t.engine.running()[0]!.context.job.id).toBe(high.id);
      expect(t.center.registry.get(low.id).status).toBe('pending');
    });
  });

  it('reports progress into the job, with percent and ETA', () => {
    t = openTestCenter();
    const [job] = submitMany(1);
    t.engine.running()[0]!.context.progress({ receivedBytes: 250, totalBytes: 1000, speed: 50, connections: 2 });
    expect(t.center.registry.get(job!.id)).toMatchObject({
      status: 'downloading',
      progress: 25,
      receivedBytes: 250,
      eta: 15,
      connections: 2,
    });
  });

  it('goes through processing to completed with the outcome in the result', async () => {
    t = openTestCenter();
    const [job] = submitMany(1);
    const attempt = t.engine.running()[0]!;
    attempt.context.enterProcessing();
    expect(t.center.registry.get(job!.id).status).toBe('processing');
    attempt.succeed({ fileName: 'done.bin', totalBytes: 42, sha256: 'ab' });
    await settle();
    expect(t.center.registry.get(job!.id)).toMatchObject({
      status: 'completed',
      progress: 100,
      fileName: 'done.bin',
      totalBytes: 42,
      result: expect.objectContaining({ sha256: 'ab' }),
    });
  });
});

describe('commands', () => {
  it('pause stops the attempt with reason "paused" and keeps the resume state; resume continues from it', async () => {
    t = openTestCenter();
    const [job] = submitMany(1);
    const attempt = t.engine.running()[0]!;
    attempt.context.saveState({ segments: [[0, 500]] });
    t.center.pause(job!.id);
    expect(attempt.context.signal.reason).toBe('paused');
    await settle();
    expect(t.center.registry.get(job!.id).status).toBe('paused');
    t.center.resume(job!.id);
    const second = t.engine.running()[0]!;
    expect(second.context.resumeState).toEqual({ segments: [[0, 500]] });
    // A pause is not a failed attempt: the resumed download has all its attempts again.
    expect(second.context.job.attempts).toBe(1);
  });

  it('removes the partial file a stopped download kept once no attempt will come: cancelled or removed', async () => {
    const discarded = openDiscardingCenter();
    const [paused, failed, running] = submitMany(3);
    for (const job of [paused, failed, running]) {
      t.engine
        .running()
        .find((a) => a.context.job.id === job!.id)!
        .context.saveState({ part: job!.id });
    }
    t.center.pause(paused!.id);
    t.engine
      .running()
      .find((a) => a.context.job.id === failed!.id)!
      .fail(new JobFailure('http', 'The server answered 404 Not Found', { status: 404 }));
    await settle();
    t.center.cancel(paused!.id);
    await t.center.remove(failed!.id);
    // A running one's engine removes the part it has open; the one its state names goes
    // too once the attempt has stopped (it may have been cancelled before opening it).
    t.center.cancel(running!.id);
    await settle();
    expect(discarded).toHaveLength(3);
    expect(discarded).toEqual(
      expect.arrayContaining([
        [paused!.dir, { part: paused!.id }],
        [failed!.dir, { part: failed!.id }],
        [running!.dir, { part: running!.id }],
      ]),
    );
  });

  it('a failed download retried by another client while its removal cancels others: stopped, removed, its part too', async () => {
    const discarded = openDiscardingCenter();
    const [failed, running] = submitMany(2);
    const attempt = (id: string) => t!.engine.running().find((a) => a.context.job.id === id);
    attempt(failed!.id)!.context.saveState({ part: failed!.id });
    attempt(failed!.id)!.fail(new JobFailure('http', 'The server answered 404 Not Found', { status: 404 }));
    await settle();
    expect(t.center.registry.get(failed!.id).status).toBe('failed');

    const removing = t.center.removeEach([failed!.id, running!.id]);
    // The running one's cancel waits for its turn's commit; meanwhile the failed one is
    // retried elsewhere, and its new attempt resumes from the part the failure kept.
    t.center.retry(failed!.id);
    const retried = attempt(failed!.id)!;
    expect(retried.context.resumeState).toEqual({ part: failed!.id });
    expect(await removing).toEqual([null, null]);
    expect(retried.context.signal.reason).toBe('cancelled');
    await settle();
    expect(t.engine.running()).toHaveLength(0);
    for (const job of [failed, running]) expect(t.center.store.get(job!.id)).toBeUndefined();
    // Stopped before it opened that part (as here), the attempt left it: removed after it stopped.
    expect(discarded).toEqual([[failed!.dir, { part: failed!.id }]]);
  });

  it('a selection cancelled while another client resumes one of it: the cancel stops the new attempt and removes the part', async () => {
    const discarded = openDiscardingCenter();
    const [a, b] = submitMany(2);
    for (const job of [a, b]) {
      t.engine
        .running()
        .find((x) => x.context.job.id === job!.id)!
        .context.saveState({ part: job!.id });
    }
    await t.center.each('pause', [a!.id, b!.id]);
    await settle();
    expect(t.engine.running()).toHaveLength(0);

    const cancelling = t.center.each('cancel', [a!.id, b!.id]);
    // Between the ask and the commit: resumed elsewhere, a new attempt from the same part.
    t.center.resume(a!.id);
    const resumed = t.engine.running().find((x) => x.context.job.id === a!.id)!;
    expect(resumed.context.resumeState).toEqual({ part: a!.id });
    expect(await cancelling).toEqual([null, null]);
    expect(resumed.context.signal.reason).toBe('cancelled');
    await settle();
    for (const job of [a, b]) {
      expect(t.center.registry.stored(job!.id)).toMatchObject({ resumeState: null, job: { status: 'cancelled' } });
    }
    expect(discarded).toHaveLength(2);
    expect(discarded).toEqual(
      expect.arrayContaining([
        [a!.dir, { part: a!.id }],
        [b!.dir, { part: b!.id }],
      ]),
    );
  });

  it('a paused download shows the bytes its stopped attempt reports last, and stays paused', async () => {
    t = openTestCenter();
    const [job] = submitMany(1);
    const attempt = t.engine.running()[0]!;
    attempt.context.progress({ receivedBytes: 400, totalBytes: 1000, speed: 100, connections: 2 });
    t.center.pause(job!.id);
    // The engine reports what its part keeps as it stops.
    attempt.context.progress({ receivedBytes: 550, totalBytes: 1000, speed: 120, connections: 2 });
    await settle();
    expect(t.center.registry.get(job!.id)).toMatchObject({
      status: 'paused',
      receivedBytes: 550,
      progress: 55,
      speed: 0,
      connections: 0,
      message: 'Paused',
    });
  });

  it('a retry right after a cancel starts once the cancelled part is gone, so it keeps its name', async () => {
    let finish = (): void => undefined;
    const removing = new Promise<void>((resolve) => (finish = resolve));
    t = openTestCenter({ discardPart: () => removing });
    const [job] = submitMany(1);
    t.engine.running()[0]!.context.saveState({ part: job!.id });
    t.center.pause(job!.id);
    await settle();
    t.center.resume(job!.id);
    // Cancelled while the resumed attempt's request is still out, then retried at once.
    t.center.cancel(job!.id);
    await settle();
    t.center.retry(job!.id);
    await settle();
    expect(t.engine.running()).toHaveLength(0);
    finish();
    await settle();
    expect(t.engine.running()).toHaveLength(1);
    expect(t.engine.running()[0]!.context.resumeState).toBeNull();
  });

  it('cancel stops with reason "cancelled" and drops the resume state', async () => {
    t = openTestCenter();
    const [job] = submitMany(1);
    const attempt = t.engine.running()[0]!;
    attempt.context.saveState({ segments: [[0, 500]] });
    t.center.cancel(job!.id);
    expect(attempt.context.signal.reason).toBe('cancelled');
    await settle();
    expect(t.center.registry.stored(job!.id)).toMatchObject({ job: { status: 'cancelled' }, resumeState: null });
  });

  it('cancelled while its file is being published: the job says cancelled, and the file goes too', async () => {
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    t = openTestCenter({ afterDownload: async () => (await gate, {}) });
    const path = join(mkdtempSync(join(tmpdir(), 'haul-publish-')), 'done.bin');
    writeFileSync(path, 'the whole file');
    const [job] = submitMany(1);
    const attempt = t.engine.running()[0]!;
    attempt.context.enterProcessing();
    attempt.succeed({ path });
    await settle();
    t.center.cancel(job!.id);
    open();
    for (let i = 0; i < 100 && existsSync(path); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(t.center.registry.get(job!.id).status).toBe('cancelled');
    expect(existsSync(path)).toBe(false);
  });

  it('refuses illegal commands with conflict and says why', async () => {
    t = openTestCenter();
    const [job] = submitMany(1);
    t.engine.running()[0]!.context.enterProcessing();
    t.engine.running()[0]!.succeed();
    await settle();
    const attempt = () => t.center.resume(job!.id);
    expect(attempt).toThrow(HaulError);
    expect(attempt).toThrow(/Cannot resume job [0-9a-f]{8}: the download is completed/);
    const [running] = submitMany(1);
    expect(() => t.center.retry(running!.id)).toThrow(/Cannot retry .* the download is downloading/);
  });

  it('retry brings a failed job back with attempts reset', async () => {
    t = openTestCenter();
    const [job] = submitMany(1);
    t.engine.running()[0]!.fail(new JobFailure('http', 'The server answered 404 Not Found', { status: 404 }));
    await settle();
    expect(t.center.registry.get(job!.id)).toMatchObject({
      status: 'failed',
      error: { kind: 'http', status: 404, message: 'The server answered 404 Not Found' },
    });
    t.center.retry(job!.id);
    expect(t.center.registry.get(job!.id)).toMatchObject({ status: 'downloading', attempts: 1, error: null });
  });

  it('pauseAll and resumeAll touch only downloads that can change', async () => {
    t = openTestCenter();
    submitMany(4);
    const transactions = vi.spyOn(t.db, 'transaction');
    expect(await t.center.pauseAll()).toBe(4);
    // One commit for the four changes.
    expect(transactions).toHaveBeenCalledTimes(1);
    await settle();
    expect(new Set(Object.values(statuses(t.center)))).toEqual(new Set(['paused']));
    expect(await t.center.resumeAll()).toBe(4);
    expect(t.engine.running()).toHaveLength(3);
  });

  it('remove deletes the job and its log; an active job is cancelled first', async () => {
    t = openTestCenter();
    const [job] = submitMany(1);
    t.center.registry.log(job!.id, 'hello');
    const attempt = t.engine.running()[0]!;
    await t.center.remove(job!.id);
    expect(attempt.context.signal.reason).toBe('cancelled');
    expect(t.center.store.get(job!.id)).toBeUndefined();
    expect(t.center.registry.readLog(job!.id)).toEqual([]);
    await expect(t.center.remove(job!.id)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('remove right after cancel, while the download is still stopping, deletes it', async () => {
    t = openTestCenter();
    const [job] = submitMany(1);
    expect(t.engine.running()).toHaveLength(1);
    t.center.cancel(job!.id);
    expect(t.center.scheduler.isRunning(job!.id)).toBe(true);
    await t.center.remove(job!.id);
    expect(t.center.store.get(job!.id)).toBeUndefined();
  });
});

describe('plugin jobs', () => {
  const spec = (pluginName: string, label = 'work') => ({
    pluginName,
    actionId: 'act',
    label,
    entityType: 'custom' as const,
  });

  it('run one at a time per plugin, in submission order, with 16-hex ids', async () => {
    t = openTestCenter();
    const started: string[] = [];
    const finishers = new Map<string, () => void>();
    const run = (name: string) => async () => {
      started.push(name);
      await new Promise<void>((resolve) => finishers.set(name, resolve));
      return { name };
    };
    const a1 = t.pluginJob(spec('a', 'a1'), run('a1'));
    t.pluginJob(spec('a', 'a2'), run('a2'));
    t.pluginJob(spec('b', 'b1'), run('b1'));
    await settle();
    expect(a1.id).toMatch(/^[0-9a-f]{16}$/);
    expect(started).toEqual(['a1', 'b1']);
    finishers.get('a1')!();
    await settle();
    expect(started).toEqual(['a1', 'b1', 'a2']);
    expect(t.center.registry.get(a1.id)).toMatchObject({
      status: 'completed',
      progress: 100,
      result: { name: 'a1' },
      message: 'Done',
    });
    const summarised = t.pluginJob(spec('c'), async () => ({ message: 'SHA-256 matches' }));
    await settle();
    expect(t.center.registry.get(summarised.id).message).toBe('SHA-256 matches');
  });

  it('a plugin job that throws fails with its message; one that hangs times out', async () => {
    t = openTestCenter({ pluginTimeoutMs: 1000 });
    const broken = t.pluginJob(spec('x'), async () => {
      throw new Error('API returned 500');
    });
    const stuck = t.pluginJob(spec('y'), () => new Promise(() => undefined));
    await settle();
    expect(t.center.registry.get(broken.id)).toMatchObject({
      status: 'failed',
      error: { kind: 'plugin', message: 'API returned 500' },
    });
    t.clock.advance(1000);
    await settle();
    expect(t.center.registry.get(stuck.id)).toMatchObject({ status: 'failed', error: { kind: 'timeout' } });
  });

  it('reports progress and can be cancelled', async () => {
    t = openTestCenter();
    let signal: AbortSignal | undefined;
    const job = t.pluginJob(spec('p'), (context) => {
      signal = context.signal;
      context.progress(40, 'Processing image…');
      return new Promise(() => undefined);
    });
    await settle();
    expect(t.center.registry.get(job.id)).toMatchObject({
      status: 'running',
      progress: 40,
      message: 'Processing image…',
    });
    t.center.cancel(job.id);
    await settle();
    expect(signal?.reason).toBe('cancelled');
    expect(t.center.registry.get(job.id).status).toBe('cancelled');
    expect(() => t.center.pause(job.id)).toThrow(/cannot be paused/);
  });
});

describe('logs and queries', () => {
  it('keeps the last 500 log lines per job', () => {
    t = openTestCenter();
    const [job] = submitMany(1);
    for (let i = 1; i <= 520; i += 1) t.center.registry.log(job!.id, `line ${i}`);
    const { log } = t.center.getWithLog(job!.id);
    expect(log).toHaveLength(500);
    expect(log[0]).toBe('line 21');
    expect(log.at(-1)).toBe('line 520');
  });

  it('lists with status (comma-separated), source, text, order and paging', async () => {
    t = openTestCenter();
    const jobs = submitMany(5);
    t.clock.advance(10);
    t.pluginJob({ pluginName: 'checksum', actionId: 'hash', label: 'Hash it', entityType: 'custom' }, async () => ({}));
    t.engine.running()[0]!.fail(new JobFailure('http', '404'));
    await settle();
    const failedOrPending = t.center.list({ status: 'failed,pending', source: 'download' });
    expect(failedOrPending.total).toBe(2);
    expect(t.center.list({ text: '3.BIN' }).jobs.map((j) => j.id)).toEqual([jobs[3]!.id]);
    expect(t.center.list({ type: 'hash' }).jobs).toHaveLength(1);
    const page = t.center.list({ source: 'download', order: 'createdAt', limit: 2, offset: 2 });
    expect(page).toMatchObject({ total: 5 });
    expect(page.jobs.map((j) => j.id)).toEqual([jobs[2]!.id, jobs[3]!.id]);
  });

  it('counts every status of each queue', async () => {
    t = openTestCenter();
    submitMany(4);
    const { queues } = t.center.queues();
    expect(queues).toEqual([
      {
        name: 'download',
        counts: { pending: 1, downloading: 3, processing: 0, completed: 0, failed: 0, cancelled: 0, paused: 0 },
        retrying: 0,
      },
      { name: 'plugin', counts: { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0 }, retrying: 0 },
      {
        name: 'task',
        counts: {
          pending: 0,
          running: 0,
          paused: 0,
          suspending: 0,
          suspended: 0,
          completed: 0,
          failed: 0,
          cancelled: 0,
          timeout: 0,
        },
        retrying: 0,
      },
    ]);
  });
});

describe('duplicates within one submission', () => {
  it('are reported on their line, the first still goes', () => {
    t = openTestCenter();
    const { jobs, invalid } = t.center.submit({ url: 'https://a.example/x\nhttps://a.example/x' });
    expect(jobs).toHaveLength(1);
    expect(invalid).toEqual([
      {
        line: 2,
        text: 'https://a.example/x',
        message: 'the same URL is on an earlier line',
        duplicate: true,
      },
    ]);
  });
});

describe('settings that apply at once', () => {
  it('the download folder setting is used by the next submit', () => {
    t = openTestCenter();
    t.settings.update({ downloadDir: '/srv/media' });
    expect(t.center.submit({ url: 'https://a.example/next' }).jobs[0]!.dir).toBe('/srv/media');
    expect(t.center.submit({ url: 'https://a.example/own', dir: '/tmp/x' }).jobs[0]!.dir).toBe('/tmp/x');
  });
});

describe('per-download speed limit', () => {
  it('changes while the download runs: the engine sees it through its live job view', () => {
    t = openTestCenter();
    const [job] = t.center.submit({ url: 'https://a.example/big', speedLimit: 1000 }).jobs;
    const attempt = t.engine.running()[0]!;
    expect(attempt.context.job.options.speedLimit).toBe(1000);
    t.center.setSpeedLimit(job!.id, 50_000);
    expect(attempt.context.job.options.speedLimit).toBe(50_000);
    t.center.setSpeedLimit(job!.id, 0);
    expect(attempt.context.job.options.speedLimit).toBeUndefined();
    t.clock.advance(1000);
    expect((t.center.store.get(job!.id)?.job as DownloadJob).options.speedLimit).toBeUndefined();
  });
});

describe('queue position on the job', () => {
  it('is shown on each download, follows moves, and survives a restart', async () => {
    t = openTestCenter();
    t.settings.update({ maxConcurrentDownloads: 1 });
    const jobs = submitMany(3);
    expect(jobs.map((j) => j.position)).toEqual([jobs[0]!.position, jobs[0]!.position + 1, jobs[0]!.position + 2]);
    t.center.move(jobs[2]!.id, 'top');
    const moved = (id: string) => (t.center.registry.get(id) as DownloadJob).position;
    expect(moved(jobs[2]!.id)).toBeLessThan(moved(jobs[1]!.id));
    t = await t.restart();
    expect(moved(jobs[2]!.id)).toBeLessThan(moved(jobs[1]!.id));
    expect((t.center.store.get(jobs[2]!.id)!.job as DownloadJob).position).toBe(
      t.center.store.get(jobs[2]!.id)!.position,
    );
  });
});

describe('text search', () => {
  it('finds substrings of any length, case-insensitively, and takes quotes literally', () => {
    t = openTestCenter();
    t.center.submit({ url: 'https://a.example/Report-Q3.PDF\nhttps://a.example/other.iso' });
    t.center.submit({ url: 'https://a.example/named', fileName: 'a "quoted" name.bin' });
    const urls = (text: string) => t.center.list({ text }).jobs.map((j) => (j.source === 'download' ? j.url : ''));
    expect(urls('report-q3')).toEqual(['https://a.example/Report-Q3.PDF']);
    expect(urls('q3')).toEqual(['https://a.example/Report-Q3.PDF']);
    expect(urls('"QUOTED"')).toEqual(['https://a.example/named']);
    expect(urls('nothing-like-this')).toEqual([]);
  });
});

describe('a move among finished downloads', () => {
  it('keeps the running and finished ones in their places in the queue order', async () => {
    t = openTestCenter();
    t.settings.update({ maxConcurrentDownloads: 1 });
    const jobs = submitMany(6);
    for (let k = 0; k < 3; k += 1) {
      t.engine.running()[0]!.succeed();
      await settle();
    }
    // jobs 0-2 done, job 3 running, jobs 4 and 5 waiting.
    const inOrder = () =>
      t.center.registry
        .snapshot()
        .jobs.filter((job): job is DownloadJob => job.source === 'download')
        .sort((a, b) => a.position - b.position)
        .map((job) => jobs.findIndex((j) => j.id === job.id));
    expect(inOrder()).toEqual([0, 1, 2, 3, 4, 5]);
    t.center.move(jobs[5]!.id, 'top');
    expect(inOrder()).toEqual([0, 1, 2, 3, 5, 4]);
    t.center.move(jobs[5]!.id, 'bottom');
    expect(inOrder()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('move events', () => {
  it('carry the new position, so a client following events sees the new order', () => {
    t = openTestCenter();
    t.settings.update({ maxConcurrentDownloads: 1 });
    const jobs = submitMany(3);
    const events = t.center.hub.subscribe();
    events.poll();
    t.center.move(jobs[2]!.id, 'top');
    const positions = new Map<string, number>();
    for (let e = events.poll(); e; e = events.poll()) {
      if (e.event === 'updated' && e.data.job.source === 'download') positions.set(e.data.job.id, e.data.job.position);
    }
    expect(positions.get(jobs[2]!.id)).toBeLessThan(positions.get(jobs[1]!.id)!);
  });
});
