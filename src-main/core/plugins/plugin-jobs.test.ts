import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PluginJob } from '../../../src-common/contract';
import type { PluginJobs } from './plugin-jobs';
import { call, openPluginCore, waitFor, type PluginCore } from './test-kit';

let env: PluginCore | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

/** An async action that answers with `tag`, or fails when asked to; and one that starts a job. */
const worker = (tag: string) => `
export function activate(haul) {
  haul.action({
    id: 'work', label: 'Work', entity: 'custom', async: true,
    params: [{ name: 'fail', label: 'Fail', type: 'boolean' }, { name: 'hang', label: 'Hang', type: 'boolean' }],
    handler: async ({ params }) => {
      if (params.fail) throw new Error('failed on purpose');
      if (params.hang) await new Promise(() => {});
      return { success: true, message: '${tag}' };
    },
  });
  haul.action({ id: 'spawn', label: 'Spawn', entity: 'custom', handler: async () => {
    const id = await haul.startJob('Spawned', async (jobId) => { haul.job.complete(jobId, { spawned: true }); });
    return { success: true, message: id };
  } });
}`;

async function runWork(core: PluginCore['core'], params: Record<string, unknown> = {}): Promise<PluginJob> {
  const out = await call<{ kind: 'job'; job: PluginJob }>(core, 'actions.run', {
    pluginName: 'w',
    actionId: 'work',
    params,
  });
  return out.job;
}

const statusOf = (core: PluginCore['core'], id: string) => core.jobs.registry.get(id);
const kept = (core: PluginCore['core']) => (core.plugins.jobRunner as PluginJobs).kept;

describe('plugin jobs', () => {
  it('releases what they kept once each job ends: completed, failed, cancelled before or while running, startJob', async () => {
    env = await openPluginCore({ plugins: { w: { code: worker('v1') } } });
    const { core } = env;
    await call(core, 'settings.update', { maxConcurrentPluginJobs: 1 });
    const done = await runWork(core);
    const failed = await runWork(core, { fail: true });
    const hanging = await runWork(core, { hang: true });
    const queued = await runWork(core); // waits behind the hanging one (one at a time per plugin)
    const spawned = await call<{ result: { message: string } }>(core, 'actions.run', {
      pluginName: 'w',
      actionId: 'spawn',
    });
    await waitFor(() => statusOf(core, hanging.id).status === 'running', 'the hanging job to run');
    await call(core, 'jobs.cancel', { id: queued.id });
    await call(core, 'jobs.cancel', { id: hanging.id });
    const spawnedId = spawned.result.message;
    await waitFor(() => statusOf(core, spawnedId).status === 'completed', 'the started job to complete');
    expect(statusOf(core, done.id).status).toBe('completed');
    expect(statusOf(core, failed.id)).toMatchObject({ status: 'failed', error: { kind: 'plugin' } });
    expect(statusOf(core, queued.id).status).toBe('cancelled');
    await waitFor(() => kept(core) === 0, 'every job to be released');
    expect(kept(core)).toBe(0);
  });

  it('an action run with an idempotency key queues one job; the same key answers it again', async () => {
    env = await openPluginCore({ plugins: { w: { code: worker('v1') } } });
    const { core } = env;
    const run = (idempotencyKey: string, actionId = 'work') =>
      core.invoke('actions.run', { pluginName: 'w', actionId, idempotencyKey });
    const first = await run('nightly-1');
    const again = await run('nightly-1');
    expect(first.ok && again.ok).toBe(true);
    const id = (first as { value: { job: PluginJob } }).value.job.id;
    expect((again as { value: { job: PluginJob } }).value.job).toMatchObject({ id, idempotencyKey: 'nightly-1' });
    await waitFor(() => statusOf(core, id).status === 'completed', 'the job to complete');
    // Finished, it is still the answer: the key names that run, not a running one.
    expect(((await run('nightly-1')) as { value: { job: PluginJob } }).value.job).toMatchObject({
      id,
      status: 'completed',
    });
    const other = (await run('nightly-2')) as { value: { job: PluginJob } };
    expect(other.value.job.id).not.toBe(id);
    const download = await call<{ jobs: { id: string }[] }>(core, 'downloads.submit', {
      url: 'https://a.example/f.iso',
      idempotencyKey: 'taken',
      paused: true,
    });
    const clash = await run('taken');
    expect(clash).toMatchObject({ ok: false, error: { kind: 'conflict' } });
    expect(!clash.ok && clash.error.message).toContain(download.jobs[0]!.id);
  });

  it('a retry after the plugin was reloaded runs the plugin as it is now', async () => {
    env = await openPluginCore({ plugins: { w: { code: worker('v1') } } });
    const { core } = env;
    const failed = await runWork(core, { fail: true });
    await waitFor(() => statusOf(core, failed.id).status === 'failed', 'the first attempt to fail');

    // The fixed plugin no longer fails; the job's params are unchanged.
    writeFileSync(join(env.dir, 'plugins', 'w', 'main.js'), worker('v2').replace('if (params.fail)', 'if (false)'));
    await call(core, 'plugins.reload', { name: 'w' });
    await call(core, 'jobs.retry', { id: failed.id });
    const after = await waitFor(() => {
      const job = statusOf(core, failed.id);
      return job.status === 'completed' || job.status === 'failed' ? job : undefined;
    }, 'the retry to end');
    expect(after).toMatchObject({ status: 'completed', message: 'v2' });
  });

  it('refuses a retry plainly when the plugin is gone, and never runs a startJob job twice', async () => {
    env = await openPluginCore({ plugins: { w: { code: worker('v1') } } });
    const { core } = env;
    const failed = await runWork(core, { fail: true });
    await waitFor(() => statusOf(core, failed.id).status === 'failed', 'the attempt to fail');
    await call(core, 'plugins.disable', { name: 'w' });
    expect(await core.invoke('jobs.retry', { id: failed.id })).toMatchObject({
      ok: false,
      error: { kind: 'conflict', message: 'The plugin w is not running; enable it and try again.' },
    });
    await call(core, 'plugins.enable', { name: 'w' });
    const spawned = await call<{ result: { message: string } }>(core, 'actions.run', {
      pluginName: 'w',
      actionId: 'spawn',
    });
    await waitFor(() => statusOf(core, spawned.result.message).status === 'completed', 'the started job');
    expect(await core.invoke('jobs.retry', { id: spawned.result.message })).toMatchObject({
      ok: false,
      error: { kind: 'conflict' },
    });
  });
});
