import { describe, expect, it } from 'vitest';
import { downloadJob, pluginJob, taskJob } from '../store/test-jobs';
import { capPanelIds, hiddenCounts, overallProgress, panelCounts, panelJobIds, panelSummaryParts } from './panel-jobs';

const byId = <T extends { id: string }>(jobs: T[]) => Object.fromEntries(jobs.map((j) => [j.id, j]));

describe('job panel contents', () => {
  const start = 10_000;
  const downloads = byId([
    downloadJob({ id: 'aaaaaaaa', status: 'downloading', createdAt: 11_000 }),
    downloadJob({ id: 'bbbbbbbb', status: 'completed', createdAt: 12_000, finishedAt: 13_000 }),
    downloadJob({ id: 'cccccccc', status: 'failed', createdAt: 5_000, finishedAt: 9_000 }),
    downloadJob({ id: 'dddddddd', status: 'failed', createdAt: 14_000, finishedAt: 15_000 }),
  ]);
  const actions = byId([pluginJob({ id: '1111111111111111', status: 'running', createdAt: 13_500 })]);

  it('shows both sources newest first, without history from before the session', () => {
    expect(panelJobIds([downloads, actions], {}, start, 14_000)).toEqual([
      'dddddddd',
      '1111111111111111',
      'bbbbbbbb',
      'aaaaaaaa',
    ]);
  });

  it("keeps one submit's downloads in the order they were given, which is the order they start", () => {
    // Ids are random: an order by id would shuffle the batch.
    const batch = byId([
      downloadJob({ id: 'f0000000', status: 'pending', createdAt: 20_000, position: 3 }),
      downloadJob({ id: '10000000', status: 'downloading', createdAt: 20_000, position: 1 }),
      downloadJob({ id: 'c0000000', status: 'pending', createdAt: 20_000, position: 4 }),
      downloadJob({ id: '90000000', status: 'downloading', createdAt: 20_000, position: 2 }),
      downloadJob({ id: '30000000', status: 'pending', createdAt: 19_000, position: 0 }),
    ]);
    expect(panelJobIds([batch], {}, start, 21_000)).toEqual([
      '10000000',
      '90000000',
      'f0000000',
      'c0000000',
      '30000000',
    ]);
  });

  it('lets a completed job go after 5 s but keeps a failure until dismissed', () => {
    const later = panelJobIds([downloads, actions], {}, start, 60_000);
    expect(later).toEqual(['dddddddd', '1111111111111111', 'aaaaaaaa']);
    expect(panelJobIds([downloads, actions], { dddddddd: true }, start, 60_000)).not.toContain('dddddddd');
  });

  it('sums bytes for the pill when every size is known, else averages percentages', () => {
    const sized = [
      downloadJob({ status: 'downloading', totalBytes: 100, receivedBytes: 50, progress: 50 }),
      downloadJob({ status: 'downloading', totalBytes: 300, receivedBytes: 0, progress: 0 }),
    ];
    expect(overallProgress(sized)).toBe(12.5);
    expect(overallProgress([...sized, pluginJob({ progress: 40 })])).toBe(30);
    expect(overallProgress([])).toBe(100);
    // A paused job is not running: it does not hold the overall number down.
    expect(overallProgress([...sized, downloadJob({ status: 'paused', totalBytes: 1000 })])).toBe(12.5);
  });

  it('lists at most the limit, working jobs before paused ones, in the same order', () => {
    const ids = ['p1', 'r1', 'p2', 'p3', 'r2'];
    const paused = (id: string) => id.startsWith('p');
    expect(capPanelIds(ids, paused, 3)).toEqual(['p1', 'r1', 'r2']);
    expect(capPanelIds(ids, paused, 10)).toEqual(ids);
  });
});

describe('tasks in the job panel', () => {
  it('lists tasks beside downloads and plugin jobs, and keeps a timed-out task until dismissed', () => {
    const downloads = byId([downloadJob({ id: 'aaaaaaaa', status: 'downloading', createdAt: 11_000 })]);
    const tasks = byId([
      taskJob({ id: '2222222222222222', status: 'paused', createdAt: 12_000 }),
      taskJob({ id: '3333333333333333', status: 'timeout', createdAt: 13_000, finishedAt: 14_000 }),
      taskJob({ id: '4444444444444444', status: 'cancelled', createdAt: 13_500, finishedAt: 14_000 }),
    ]);
    expect(panelJobIds([downloads, {}, tasks], {}, 10_000, 60_000)).toEqual([
      '3333333333333333',
      '2222222222222222',
      'aaaaaaaa',
    ]);
    expect(overallProgress([taskJob({ progress: 60 }), taskJob({ status: 'paused', progress: 0 })])).toBe(60);
  });
});

describe('the line under a full panel', () => {
  it('counts the jobs left out by the view that lists them: downloads apart from tasks and plugin jobs', () => {
    const downloads = Array.from({ length: 40 }, (_, i) => downloadJob({ id: `d${i}`, createdAt: 1000 + i }));
    const tasks = Array.from({ length: 30 }, (_, i) => taskJob({ id: `t${i}`, createdAt: 2000 + i }));
    const all = panelJobIds([byId(downloads), {}, byId(tasks)], {}, 0, 3000);
    const shown = capPanelIds(all, () => false, 50);
    // Newest first: the 30 tasks and the 20 newest downloads are listed; 20 downloads are left.
    expect(hiddenCounts(all, shown, (id) => id.startsWith('d'))).toEqual({ downloads: 20, jobs: 0 });
    const older = panelJobIds(
      [byId(downloads.map((d) => ({ ...d, createdAt: d.createdAt + 5000 }))), {}, byId(tasks)],
      {},
      0,
      9000,
    );
    expect(
      hiddenCounts(
        older,
        capPanelIds(older, () => false, 50),
        (id) => id.startsWith('d'),
      ),
    ).toEqual({
      downloads: 0,
      jobs: 20,
    });
  });
});

describe("the panel's summary line", () => {
  const summary = (jobs: Parameters<typeof panelCounts>[0]) =>
    panelSummaryParts(panelCounts(jobs), jobs.length > 0).join(' · ');

  it('says what runs, what is paused and what failed, and "All done" only when nothing waits', () => {
    const running = downloadJob({ status: 'downloading', totalBytes: 1000, receivedBytes: 250 });
    const failed = downloadJob({ status: 'failed' });
    expect(summary([running, downloadJob({ status: 'paused' }), failed])).toBe(
      '1 running · 25% done · 1 paused · 1 failed',
    );
    // A failure waits for the user: the collapsed pill must not read as if all went well.
    expect(summary([downloadJob({ status: 'completed' }), failed, taskJob({ status: 'timeout' })])).toBe('2 failed');
    expect(summary([downloadJob({ status: 'completed' }), downloadJob({ status: 'cancelled' })])).toBe('All done');
    expect(summary([])).toBe('No jobs');
  });

  it('tells the downloads that wait for a slot from those that run, in grouped numbers', () => {
    const batch = [
      ...Array.from({ length: 3 }, () => downloadJob({ status: 'downloading' })),
      ...Array.from({ length: 9997 }, () => downloadJob({ status: 'pending' })),
    ];
    expect(summary(batch)).toBe('3 running · 9,997 queued · 0% done');
    expect(summary([downloadJob({ status: 'pending' }), downloadJob({ status: 'paused' })])).toBe(
      '1 queued · 0% done · 1 paused',
    );
  });
});
