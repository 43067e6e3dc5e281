import { describe, expect, it } from 'vitest';
import type { Job } from '../../../src-common/contract';
import { downloadJob, pluginJob, taskJob } from '../../test/job-fixtures';
import { LiveJobs } from './live-jobs';

const entry = (job: Job, position = 0, notBefore: number | null = null) => ({
  job,
  position,
  live: true,
  notBefore,
  resumeState: null,
});

describe('LiveJobs', () => {
  it('finds the unfinished download of a URL, and not a finished one of the same URL', () => {
    const live = new LiveJobs();
    const url = 'https://a.example/same.iso';
    live.put(entry(downloadJob({ id: 'aaaa0001', url, status: 'downloading' })));
    // An older download of the URL, finished, read after it: it must not take the URL's place.
    live.put(entry(downloadJob({ id: 'aaaa0002', url, status: 'completed' })));
    expect(live.activeDownloadOf(url)).toBe('aaaa0001');
    live.put(entry(downloadJob({ id: 'aaaa0002', url, status: 'completed', progress: 100 })));
    expect(live.activeDownloadOf(url)).toBe('aaaa0001');

    live.put(entry(downloadJob({ id: 'aaaa0001', url, status: 'paused' })));
    expect(live.activeDownloadOf(url)).toBe('aaaa0001');
    live.put(entry(downloadJob({ id: 'aaaa0001', url, status: 'failed' })));
    expect(live.activeDownloadOf(url)).toBeUndefined();
  });

  it('forgets a dropped download, its URL and its place in the queue', () => {
    const live = new LiveJobs();
    const url = 'https://a.example/x.bin';
    live.put(entry(downloadJob({ id: 'bbbb0001', url, status: 'pending' })));
    live.drop('bbbb0001');
    expect(live.has('bbbb0001')).toBe(false);
    expect(live.activeDownloadOf(url)).toBeUndefined();
    expect([...live.pendingDownloads()]).toEqual([]);
  });

  it('hands out pending downloads by priority, then position, and only while pending', () => {
    const live = new LiveJobs();
    live.put(entry(downloadJob({ id: 'cccc0001', status: 'pending' }), 1));
    live.put(entry(downloadJob({ id: 'cccc0002', status: 'pending' }), 2));
    live.put(entry(downloadJob({ id: 'cccc0003', status: 'pending', priority: 1 }), 3));
    live.put(entry(downloadJob({ id: 'cccc0004', status: 'pending' }), 0));
    const order = () => [...live.pendingDownloads()].map((e) => e.job.id);
    expect(order()).toEqual(['cccc0003', 'cccc0004', 'cccc0001', 'cccc0002']);

    live.put(entry(downloadJob({ id: 'cccc0004', status: 'downloading' }), 0));
    expect(order()).toEqual(['cccc0003', 'cccc0001', 'cccc0002']);
    // Back in the queue behind the others (its new position).
    live.put(entry(downloadJob({ id: 'cccc0004', status: 'pending' }), 9));
    expect(order()).toEqual(['cccc0003', 'cccc0001', 'cccc0002', 'cccc0004']);
  });

  it("gives a download the entry's queue position, and keeps other pending jobs apart", () => {
    const live = new LiveJobs();
    const stored = live.put(entry(downloadJob({ id: 'dddd0001', status: 'pending', position: 0 }), 7));
    expect(stored.job).toMatchObject({ position: 7 });
    expect(live.get('dddd0001')?.job).toMatchObject({ position: 7 });

    live.put(entry(pluginJob({ id: 'e'.repeat(16), status: 'pending' })));
    live.put(entry(taskJob({ id: 'f'.repeat(16), status: 'running' })));
    expect(live.pendingJobs().map((e) => e.job.id)).toEqual(['e'.repeat(16)]);
    expect([...live.pendingDownloads()].map((e) => e.job.id)).toEqual(['dddd0001']);
    const { jobs, actionJobs, tasks } = live.snapshot();
    expect([jobs.length, actionJobs.length, tasks.length]).toEqual([1, 1, 1]);
  });

  it('counts, per source, the pending jobs whose retry is still to come', () => {
    const live = new LiveJobs();
    live.put(entry(downloadJob({ id: 'eeee0001', status: 'pending' }), 0, 2000));
    live.put(entry(downloadJob({ id: 'eeee0002', status: 'pending' }), 1, 500));
    live.put(entry(downloadJob({ id: 'eeee0003', status: 'downloading' }), 2, 2000));
    live.put(entry(pluginJob({ id: '1'.repeat(16), status: 'pending' }), 0, 3000));
    expect(live.retryingCounts(1000)).toEqual({ download: 1, plugin: 1, task: 0 });
    // Started, then back to waiting with its backoff, then dropped: counted as it is now.
    live.put(entry(downloadJob({ id: 'eeee0001', status: 'downloading' }), 0, null));
    expect(live.retryingCounts(1000)).toEqual({ download: 0, plugin: 1, task: 0 });
    live.put(entry(downloadJob({ id: 'eeee0001', status: 'pending' }), 0, 4000));
    live.put(entry(downloadJob({ id: 'eeee0002', status: 'pending' }), 1, 5000));
    expect(live.retryingCounts(1000)).toEqual({ download: 2, plugin: 1, task: 0 });
    live.drop('1'.repeat(16));
    expect(live.retryingCounts(1000)).toEqual({ download: 2, plugin: 0, task: 0 });
  });
});
