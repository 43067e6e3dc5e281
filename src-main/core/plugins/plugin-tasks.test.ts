import { afterEach, describe, expect, it } from 'vitest';
import type { PluginJob, TaskJob } from '../../../src-common/contract';
import { call, openPluginCore, waitFor, type PluginCore } from './test-kit';

let env: PluginCore | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const idParam = { params: [{ name: 'id', label: 'Id', type: 'text' }] };
const code = (name: string) => `
export function activate(haul) {
  const act = (id, handler, extra) => haul.action(Object.assign({ id, label: id, entity: 'custom', handler }, extra || {}));
  act('backup', async () => {
    const job = await haul.createJob({
      name: 'Backup database', description: 'Full backup', type: 'backup', source: 'not-${name}',
      iconSvg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"></svg>',
      metadata: { mode: 'full' }, suspendable: true, idempotencyKey: 'nightly',
    });
    await job.start();
    const control = await job.updateProgress(50, { table: 'users' });
    haul.job.progress(job.id, 60, 'Tables', { table: 'orders' });
    return { success: true, message: JSON.stringify({ id: job.id, control, status: job.status }) };
  });
  act('finish', async ({ params }) => {
    const job = await haul.jobs.get(params.id);
    await job.complete({ rows: 3 });
    return { success: true, message: job.status };
  }, ${JSON.stringify(idParam)});
  act('cancelOwn', async ({ params }) => {
    const job = await haul.jobs.get(params.id);
    await job.cancel();
    return { success: true, message: job.status + '/' + job.control };
  }, ${JSON.stringify(idParam)});
  act('badProgress', async () => {
    const job = await haul.createJob({ name: 'Odd reports' });
    await job.start();
    await job.updateProgress(50);
    for (const odd of ['not a number', -50, 1e300]) haul.job.progress(job.id, odd, 'odd');
    return { success: true, message: job.id };
  });
  act('chatty', async ({ jobId }) => {
    for (let i = 0; i < 5000; i += 1) haul.job.log(jobId, 'line ' + i);
    await haul.sleep(50);
    haul.job.log(jobId, 'last');
    return { success: true, message: 'ok' };
  }, { async: true });
  act('huge', async () => ({ success: true, message: 'big', data: 'x'.repeat(70000) }), { async: true });
  act('hugeComplete', async ({ jobId }) => {
    haul.job.complete(jobId, { data: 'y'.repeat(70000) });
    await new Promise(() => {});
  }, { async: true });
  act('cleanup', async () => ({ success: true, message: String(await haul.jobs.cleanup(0)) }));
  act('mine', async () => ({ success: true, message: (await haul.jobs.mine()).map((j) => j.id).join(',') }));
  act('detailed', async ({ jobId }) => {
    haul.job.progress(jobId, 40, { step: 'download' });
    haul.job.progress(jobId, 80, 'Almost', { step: 'verify', extra: 1 });
    await haul.sleep(30);
    return { success: true, message: 'ok' };
  }, { async: true });
  haul.on('job.control', async ({ id, control, status, state }) => {
    const job = await haul.jobs.get(id);
    if (control === 'suspend' && status === 'suspending') await job.checkpoint({ at: job.progress });
    if (control === 'continue' && state) {
      await job.start();
      job.log('resumed from ' + JSON.stringify(state));
    }
  });
  act('selfCancel', async ({ jobId }) => {
    await haul.job.cancel(jobId);
    await new Promise(() => {});
  }, { async: true });
}`;

async function run<T = string>(core: PluginCore['core'], plugin: string, actionId: string, params = {}): Promise<T> {
  const out = await call<{ kind: string; result?: { message: string }; job?: PluginJob }>(core, 'actions.run', {
    pluginName: plugin,
    actionId,
    params,
  });
  return (out.kind === 'job' ? out.job : out.result!.message) as T;
}

describe('haul.createJob and haul.jobs', () => {
  it('creates a task of its own, reports progress with metadata, completes it, and cleans up only its own', async () => {
    env = await openPluginCore({ plugins: { alpha: { code: code('alpha') }, beta: { code: code('beta') } } });
    const { core } = env;
    const first = JSON.parse(await run(core, 'alpha', 'backup')) as { id: string; control: string; status: string };
    expect(first).toMatchObject({ control: 'continue', status: 'running' });
    const task = await waitFor(() => {
      const job = core.jobs.registry.get(first.id) as TaskJob;
      return job.progress === 60 ? job : undefined;
    }, 'the fire-and-forget progress');
    expect(task).toMatchObject({
      source: 'task',
      creator: 'alpha',
      createdBy: 'plugin',
      type: 'backup',
      message: 'Tables',
      metadata: { mode: 'full', table: 'orders' },
      idempotencyKey: 'plugin:alpha:nightly',
    });
    // The same key from the same plugin answers its task; another plugin's key is its own.
    expect(JSON.parse(await run(core, 'alpha', 'backup')).id).toBe(first.id);
    const other = JSON.parse(await run(core, 'beta', 'backup')) as { id: string };
    expect(other.id).not.toBe(first.id);
    expect(await run(core, 'alpha', 'mine')).toBe(first.id);
    // One plugin cannot reach another's task.
    expect(await run(core, 'beta', 'finish', { id: first.id })).toMatch(/The plugin beta has no task/);
    expect(core.jobs.registry.get(first.id).status).toBe('running');

    expect(await run(core, 'alpha', 'finish', { id: first.id })).toBe('completed');
    expect(core.jobs.registry.get(first.id)).toMatchObject({ status: 'completed', result: { rows: 3 } });
    await run(core, 'beta', 'cancelOwn', { id: other.id });
    expect(await run(core, 'alpha', 'cleanup')).toBe('1');
    expect(() => core.jobs.registry.get(first.id)).toThrow(/No job/);
    expect(core.jobs.registry.get(other.id).status).toBe('cancelled');
  });

  it('ignores a progress out of range on its own task, with a warning, as the API refuses one', async () => {
    env = await openPluginCore({ plugins: { alpha: { code: code('alpha') } } });
    const { core } = env;
    const id = await run(core, 'alpha', 'badProgress');
    const warnings = await waitFor(() => {
      const lines = core.plugins.logOf('alpha').filter((line) => line.includes(`haul.job.progress(${id}) ignored`));
      return lines.length === 3 ? lines : undefined;
    }, 'a warning for each odd report');
    expect(warnings[1]).toMatch(/progress: Too small/i);
    expect(core.jobs.registry.get(id)).toMatchObject({ status: 'running', progress: 50 });
    // The held progress reaches the database as it was: nothing for the store to refuse.
    await env.close();
    env = undefined;
  });

  it('keeps a plugin logging in a loop to a budget of lines, and says how many it left out', async () => {
    env = await openPluginCore({ plugins: { alpha: { code: code('alpha') } } });
    const { core } = env;
    const job = await run<PluginJob>(core, 'alpha', 'chatty');
    await waitFor(() => core.jobs.registry.get(job.id).status === 'completed', 'the job to complete');
    const { log } = core.jobs.getWithLog(job.id);
    expect(log.at(-1)).toMatch(/last$/);
    const notes = log.filter((line) => /log lines left out: more than 100 a second/.test(line));
    const left = notes.reduce((sum, line) => sum + Number(/\((\d+) log lines left out/.exec(line)![1]), 0);
    const written = log.filter((line) => / line \d+$/.test(line)).length;
    // The loop outruns the budget: most of its lines are left out, and each is counted.
    expect(left).toBeGreaterThan(2500);
    expect(written + left).toBeLessThanOrEqual(5000);
  });

  it("fails a plugin job whose result is too large to keep, as a task's would be refused", async () => {
    env = await openPluginCore({ plugins: { alpha: { code: code('alpha') } } });
    const { core } = env;
    for (const action of ['huge', 'hugeComplete']) {
      const job = await run<PluginJob>(core, 'alpha', action);
      const failed = await waitFor(() => {
        const current = core.jobs.registry.get(job.id) as PluginJob;
        return current.status === 'failed' ? current : undefined;
      }, `the ${action} job to fail`);
      expect(failed.error?.message).toBe("The plugin's result is larger than 64000 characters of JSON.");
      expect(failed.result).toBeNull();
    }
  });

  it('a plugin cancels its own task and its own plugin job, and sees control', async () => {
    env = await openPluginCore({ plugins: { alpha: { code: code('alpha') } } });
    const { core } = env;
    const { id } = JSON.parse(await run(core, 'alpha', 'backup')) as { id: string };
    expect(await run(core, 'alpha', 'cancelOwn', { id })).toBe('cancelled/cancel');
    const job = await run<PluginJob>(core, 'alpha', 'selfCancel');
    await waitFor(() => core.jobs.registry.get(job.id).status === 'cancelled', 'the plugin job to cancel itself');
  });

  it('hears suspend and resume through haul.on("job.control") and goes on from its saved state', async () => {
    env = await openPluginCore({ plugins: { alpha: { code: code('alpha') } } });
    const { core } = env;
    const { id } = JSON.parse(await run(core, 'alpha', 'backup')) as { id: string };
    await waitFor(() => core.jobs.registry.get(id).progress === 60, 'the last report');
    expect(await call(core, 'jobs.suspend', { id })).toMatchObject({ status: 'suspending' });
    const suspended = await waitFor(() => {
      const job = core.jobs.registry.get(id) as TaskJob;
      return job.status === 'suspended' ? job : undefined;
    }, 'the plugin to stop at its checkpoint');
    expect(suspended.state).toEqual({ at: 60 });
    await call(core, 'jobs.resume', { id });
    await waitFor(() => core.jobs.registry.get(id).status === 'running', 'the plugin to start it again');
    await waitFor(
      () => core.jobs.getWithLog(id).log.includes('resumed from {"at":60}'),
      'the plugin to log where it went on from',
    );
  });

  it('keeps the metadata given to haul.job.progress on a plugin job', async () => {
    env = await openPluginCore({ plugins: { alpha: { code: code('alpha') } } });
    const { core } = env;
    const job = await run<PluginJob>(core, 'alpha', 'detailed');
    const done = await waitFor(() => {
      const current = core.jobs.registry.get(job.id) as PluginJob;
      return current.status === 'completed' ? current : undefined;
    }, 'the job to complete');
    expect(done.metadata).toEqual({ step: 'verify', extra: 1 });
  });
});
