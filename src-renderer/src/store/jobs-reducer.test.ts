import { describe, expect, it } from 'vitest';
import type { DownloadJob, JobEvent, PluginJob } from '../../../src-common/contract';
import { applyJobEvents, emptyJobs } from './jobs-reducer';
import { downloadJob, pluginJob } from './test-jobs';

const init = (jobs: DownloadJob[], actionJobs: PluginJob[] = []): JobEvent => ({
  event: 'init',
  data: { jobs, actionJobs, tasks: [] },
});
const updated = (job: DownloadJob): JobEvent => ({ event: 'updated', data: { type: 'updated', job } });

describe('job event reducer', () => {
  it('replaces everything on init', () => {
    const first = applyJobEvents(emptyJobs, [init([downloadJob({ id: 'aaaaaaaa' })])]);
    const second = applyJobEvents(first, [init([downloadJob({ id: 'bbbbbbbb' })], [pluginJob()])]);
    expect(Object.keys(second.downloads)).toEqual(['bbbbbbbb']);
    expect(Object.keys(second.actions)).toHaveLength(1);
  });

  it('upserts and removes by id, for both sources', () => {
    const job = downloadJob({ id: 'aaaaaaaa' });
    const action = pluginJob({ id: 'aaaaaaaabbbbbbbb' });
    let state = applyJobEvents(emptyJobs, [
      init([]),
      { event: 'added', data: { type: 'added', job } },
      { event: 'action_added', data: { type: 'added', job: action } },
    ]);
    expect(state.downloads.aaaaaaaa).toBe(job);
    state = applyJobEvents(state, [updated({ ...job, progress: 40, updatedAt: job.updatedAt + 1 })]);
    expect(state.downloads.aaaaaaaa!.progress).toBe(40);
    state = applyJobEvents(state, [
      { event: 'removed', data: { type: 'removed', job } },
      { event: 'action_removed', data: { type: 'removed', job: action } },
    ]);
    expect(state).toEqual(emptyJobs);
  });

  it('keeps the objects of jobs a snapshot did not change, so their rows do not re-render', () => {
    const a = downloadJob({ id: 'aaaaaaaa' });
    const b = downloadJob({ id: 'bbbbbbbb' });
    const state = applyJobEvents(emptyJobs, [init([a, b])]);
    const same = applyJobEvents(state, [init([{ ...a }, { ...b }])]);
    expect(same).toBe(state);
    const moved = applyJobEvents(state, [init([{ ...a }, { ...b, progress: 9, updatedAt: b.updatedAt + 1 }])]);
    expect(moved.downloads.aaaaaaaa).toBe(a);
    expect(moved.downloads.bbbbbbbb).not.toBe(b);
    expect(moved.actions).toBe(state.actions);
  });

  it('leaves the plugin record alone when only downloads change', () => {
    const a = downloadJob({ id: 'aaaaaaaa' });
    const state = applyJobEvents(emptyJobs, [init([a], [pluginJob()])]);
    const next = applyJobEvents(state, [updated({ ...a, progress: 1, updatedAt: a.updatedAt + 5 })]);
    expect(next.actions).toBe(state.actions);
    expect(next.downloads).not.toBe(state.downloads);
  });

  it('ignores the removal of a job it never had', () => {
    const state = applyJobEvents(emptyJobs, [init([])]);
    const job = downloadJob({ id: 'cccccccc' });
    expect(applyJobEvents(state, [{ event: 'removed', data: { type: 'removed', job } }])).toBe(state);
  });
});
