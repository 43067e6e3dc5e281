import { describe, expect, it } from 'vitest';
import type { DownloadJob, JobEvent, PluginJob, TaskJob } from '../../../src-common/contract';
import { applyJobEvents, emptyJobs } from './jobs-reducer';
import { downloadJob, pluginJob, taskJob } from './test-jobs';

const init = (jobs: DownloadJob[], actionJobs: PluginJob[] = [], tasks: TaskJob[] = []): JobEvent => ({
  event: 'init',
  data: { jobs, actionJobs, tasks },
});
const task = (type: 'added' | 'updated' | 'removed', job: TaskJob): JobEvent => ({
  event: `task_${type}`,
  data: { type, job },
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

  it('keeps live tasks from init and the task events, apart from the other sources', () => {
    const t = taskJob({ id: '1111111111111111' });
    let state = applyJobEvents(emptyJobs, [init([downloadJob()], [pluginJob()], [t])]);
    expect(state.tasks['1111111111111111']).toBe(t);
    const before = state;
    const u = taskJob({ id: '2222222222222222', createdAt: 2_000 });
    state = applyJobEvents(state, [task('added', u)]);
    expect(Object.keys(state.tasks).sort()).toEqual(['1111111111111111', '2222222222222222']);
    expect(state.downloads).toBe(before.downloads);
    expect(state.actions).toBe(before.actions);
    expect(before.tasks['2222222222222222']).toBeUndefined();

    const paused = { ...u, status: 'paused' as const, control: 'pause' as const, updatedAt: 2_500 };
    state = applyJobEvents(state, [task('updated', paused), task('removed', t)]);
    expect(state.tasks).toEqual({ '2222222222222222': paused });
  });

  it('takes a task whose metadata or control changed even with the same time and status', () => {
    const t = taskJob({ metadata: { file: 'a.jpg' } });
    const state = applyJobEvents(emptyJobs, [init([], [], [t])]);
    expect(applyJobEvents(state, [task('updated', { ...t, metadata: { file: 'a.jpg' } })])).toBe(state);
    const next = applyJobEvents(state, [task('updated', { ...t, metadata: { file: 'b.jpg' } })]);
    expect(next.tasks[t.id]!.metadata).toEqual({ file: 'b.jpg' });
    const asked = applyJobEvents(state, [init([], [], [{ ...t, control: 'cancel' }])]);
    expect(asked.tasks[t.id]!.control).toBe('cancel');
    const p = pluginJob({ metadata: { step: 1 } });
    const withPlugin = applyJobEvents(emptyJobs, [init([], [p])]);
    const moved = applyJobEvents(withPlugin, [
      { event: 'action_updated', data: { type: 'updated', job: { ...p, metadata: { step: 2 } } } },
    ]);
    expect(moved.actions[p.id]!.metadata).toEqual({ step: 2 });
  });

  it('does not touch an earlier state while applying several events to one source', () => {
    const a = taskJob({ id: 'aaaaaaaaaaaaaaaa' });
    const b = taskJob({ id: 'bbbbbbbbbbbbbbbb' });
    const state = applyJobEvents(emptyJobs, [init([])]);
    const snapshot = JSON.stringify(state);
    const next = applyJobEvents(state, [task('added', a), task('added', b), task('removed', a)]);
    expect(JSON.stringify(state)).toBe(snapshot);
    expect(Object.keys(next.tasks)).toEqual(['bbbbbbbbbbbbbbbb']);
  });
});
