import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DownloadListInput,
  downloadName,
  downloadSortKeys,
  downloadStatuses,
  statusRank,
  type DownloadJob,
  type DownloadSortKey,
} from '../../../src-common/contract';
import { openTestCenter, settle, settleCompletions, type TestCenter } from '../../test/job-kit';
import { nameSortKey } from '../store/sort-columns';

let t: TestCenter;
afterEach(async () => {
  await t?.dispose();
});

const list = (query: DownloadListInput) => t.center.listDownloads(query);
const ids = (query: DownloadListInput) => list(query).jobs.map((job) => job.id);

/** Submits one job per name, in this order, paused so nothing starts unasked. */
function submit(names: readonly string[], paused = true): DownloadJob[] {
  return t.center.submit({ url: names.map((n) => `https://files.example/${n}`).join('\n'), paused }).jobs;
}

describe('downloads.list', () => {
  it('pages live and finished downloads as one list: no row twice, none missing', async () => {
    t = openTestCenter();
    t.settings.update({ maxConcurrentDownloads: 2 });
    const jobs = submit(['a.bin', 'b.bin', 'c.bin', 'd.bin', 'e.bin'], false);
    await settle();
    t.engine.running()[0]!.succeed();
    await settleCompletions(t.clock);
    t.center.clearCompleted();
    t.clock.advance(1000);
    const later = submit(['f.bin']);
    const everything = [...jobs, ...later].map((job) => job.id).reverse();

    const seen: string[] = [];
    for (let offset = 0; offset < 10; offset += 2) seen.push(...ids({ sort: 'added', desc: true, offset, limit: 2 }));
    expect(seen).toEqual(everything);
    expect(t.center.registry.isLive(jobs[0]!.id)).toBe(false);
    expect(list({ limit: 1 }).total).toBe(6);
  });

  it('answers a live job as it is now, not as its last saved row', async () => {
    t = openTestCenter();
    submit(['a.bin'], false);
    await settle();
    t.engine.running()[0]!.context.progress({ receivedBytes: 50, totalBytes: 200, speed: 1000, connections: 1 });
    const [job] = list({}).jobs;
    expect(job).toMatchObject({ status: 'downloading', receivedBytes: 50, speed: 1000 });
  });

  it('filters by status and text, and counts every status whatever the filter', async () => {
    t = openTestCenter();
    const [a, b] = submit(['report.pdf', 'movie.mkv', 'Report-2.PDF']);
    t.center.resume(a!.id);
    await settle();
    t.center.cancel(b!.id);
    const answer = list({ statuses: ['paused'], text: 'report' });
    expect(answer.jobs.map(downloadName)).toEqual(['Report-2.PDF']);
    expect(answer.total).toBe(1);
    expect(answer.counts).toMatchObject({ paused: 1, downloading: 1, cancelled: 1, completed: 0 });
    expect(list({ text: 'MKV' }).jobs.map(downloadName)).toEqual(['movie.mkv']);
    expect(list({ text: 'pd' }).total).toBe(2);
  });

  it('sorts names as people read them: case-blind, file2 before file10', () => {
    t = openTestCenter();
    submit(['file10.bin', 'File2.bin', 'file1.bin', 'archive.zip']);
    expect(list({ sort: 'name' }).jobs.map(downloadName)).toEqual([
      'archive.zip',
      'file1.bin',
      'File2.bin',
      'file10.bin',
    ]);
  });

  it('puts the fastest running downloads first, then the rest in the order they were added', async () => {
    t = openTestCenter();
    t.settings.update({ maxConcurrentDownloads: 3 });
    const [slow, fast, idle] = submit(['slow.bin', 'fast.bin', 'idle.bin'], false);
    await settle();
    const attempt = (id: string) => t.engine.running().find((a) => a.context.job.id === id)!;
    attempt(slow!.id).context.progress({ receivedBytes: 10, totalBytes: 1000, speed: 10, connections: 1 });
    attempt(fast!.id).context.progress({ receivedBytes: 10, totalBytes: 1000, speed: 500, connections: 1 });
    const paused = submit(['later.bin']);
    expect(ids({ sort: 'speed', desc: true })).toEqual([fast!.id, slow!.id, paused[0]!.id, idle!.id]);
    expect(ids({ sort: 'speed' })).toEqual([idle!.id, paused[0]!.id, slow!.id, fast!.id]);
    // Paged across the seam between running jobs and the rest.
    expect(ids({ sort: 'speed', desc: true, offset: 1, limit: 2 })).toEqual([slow!.id, paused[0]!.id]);
    expect(ids({ sort: 'eta', offset: 1, limit: 2 })).toEqual([slow!.id, idle!.id]);
  });

  it('sorts by progress as reported a moment ago, before any save', async () => {
    t = openTestCenter();
    t.settings.update({ maxConcurrentDownloads: 2 });
    const [a, b] = submit(['a.bin', 'b.bin'], false);
    await settle();
    const attempt = (id: string) => t.engine.running().find((x) => x.context.job.id === id)!;
    attempt(a!.id).context.progress({ receivedBytes: 30, totalBytes: 100, speed: 1, connections: 1 });
    attempt(b!.id).context.progress({ receivedBytes: 80, totalBytes: 100, speed: 1, connections: 1 });
    expect(ids({ sort: 'progress', desc: true })).toEqual([b!.id, a!.id]);
  });

  it('refuses unknown sort keys and statuses, naming the field', () => {
    t = openTestCenter();
    const parsed = [{ sort: 'colour' }, { statuses: ['waiting'] }].map((input) => DownloadListInput.safeParse(input));
    expect(parsed.map((p) => p.success)).toEqual([false, false]);
    expect(parsed.map((p) => p.error?.issues[0]?.path[0])).toEqual(['sort', 'statuses']);
  });
});

/** The order the table had when it sorted in the browser: the reference for the core's. */
function reference(jobs: DownloadJob[], added: Map<string, number>, sort: DownloadSortKey, desc: boolean) {
  const key: Record<DownloadSortKey, (a: DownloadJob, b: DownloadJob) => number> = {
    queue: (a, b) => b.priority - a.priority || a.position - b.position,
    name: (a, b) => cmp(nameSortKey(downloadName(a)), nameSortKey(downloadName(b))),
    size: (a, b) => (a.totalBytes ?? -1) - (b.totalBytes ?? -1),
    progress: (a, b) => a.progress - b.progress,
    speed: (a, b) => a.speed - b.speed,
    eta: (a, b) => (a.eta ?? Number.MAX_SAFE_INTEGER) - (b.eta ?? Number.MAX_SAFE_INTEGER),
    status: (a, b) => statusRank[a.status] - statusRank[b.status],
    added: (a, b) => a.createdAt - b.createdAt,
  };
  const sign = desc ? -1 : 1;
  return [...jobs].sort((a, b) => sign * (key[sort](a, b) || added.get(a.id)! - added.get(b.id)!)).map((j) => j.id);
}
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('downloads.list against the reference order', () => {
  it('gives every sort, filter and page the order of sorting all jobs at once', async () => {
    const names = fc.constantFrom('a.bin', 'B.bin', 'file2.iso', 'file10.iso', 'zeta', 'Movie 1.mkv');
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            names,
            fc.constantFrom('keep', 'start', 'cancel', 'move'),
            fc.boolean(),
            fc.integer({ min: -1, max: 1 }),
          ),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        fc.constantFrom(...downloadSortKeys.filter((k) => k !== 'speed' && k !== 'eta')),
        fc.boolean(),
        fc.subarray([...downloadStatuses]),
        fc.integer({ min: 1, max: 5 }),
        async (steps, sort, desc, statuses, pageSize) => {
          t = openTestCenter();
          try {
            const added = new Map<string, number>();
            for (const [name, step, later, priority] of steps) {
              // Some jobs share a creation time: the order they were added breaks the tie.
              if (later) t.clock.advance(1);
              const [job] = t.center.submit({
                url: `https://x.example/${name}`,
                paused: true,
                force: true,
                priority,
              }).jobs;
              added.set(job!.id, added.size);
              if (step === 'cancel') t.center.cancel(job!.id);
              if (step === 'move') t.center.move(job!.id, 'top');
              if (step === 'start') t.center.resume(job!.id);
            }
            await settle();
            const all = t.center.list({ source: 'download', limit: 1000 }).jobs as DownloadJob[];
            const kept = all.filter((job) => statuses.length === 0 || statuses.includes(job.status));
            const expected = reference(kept, added, sort, desc);
            const paged: string[] = [];
            for (let offset = 0; offset < expected.length + pageSize; offset += pageSize) {
              paged.push(...ids({ sort, desc, statuses, offset, limit: pageSize }));
            }
            expect(paged).toEqual(expected);
          } finally {
            await t.dispose();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
