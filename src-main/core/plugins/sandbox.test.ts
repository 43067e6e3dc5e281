import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PluginJob } from '../../../src-common/contract';
import { call, openPluginCore, waitFor, type PluginCore } from './test-kit';

let env: PluginCore | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const hostile = `
export function activate(haul) {
  const sync = (id, handler) => haul.action({ id, label: id, entity: 'custom', handler });
  sync('spin', () => { while (true) {} });
  sync('huge', () => new ArrayBuffer(1024 * 1024 * 1024).byteLength);
  sync('grow', () => { const keep = []; for (;;) keep.push(new Uint8Array(8 << 20)); });
  sync('require', () => require('fs'));
  sync('process', () => process.env);
  sync('escape', () => globalThis.constructor.constructor('return process')());
  sync('globals', () => ({ success: true, message: '', data: ['require', 'process', 'fetch', 'setTimeout', 'console', 'Deno', 'Bun', 'window'].filter((name) => typeof globalThis[name] !== 'undefined') }));
  sync('fetch', () => haul.http.fetch('http://127.0.0.2:9/'));
  sync('read', () => haul.files.read('/etc/passwd'));
  sync('readUp', () => haul.files.read('../haul.db'));
  sync('ok', () => ({ success: true, message: 'still here', data: 42 }));
  haul.action({ id: 'spinJob', label: 'spin job', entity: 'custom', async: true, handler: () => { while (true) {} } });
  haul.action({ id: 'twice', label: 'twice', entity: 'custom', async: true, handler: ({ jobId }) => {
    haul.job.complete(jobId, { first: true });
    haul.job.complete(jobId, { second: true });
    haul.job.fail(jobId, 'too late');
  } });
  haul.on('download.completed', () => { throw new Error('hook exploded'); });
}`;

const friendly = `
export function activate(haul) {
  haul.action({ id: 'count', label: 'Count', entity: 'custom', async: true, handler: async ({ jobId }) => {
    for (let i = 1; i <= 4; i += 1) { haul.job.progress(jobId, i * 25, 'step ' + i); await haul.sleep(1); }
    return { counted: 4 };
  } });
}`;

async function runSync(core: PluginCore['core'], actionId: string) {
  const out = await call<{ kind: string; result: { success: boolean; message: string; data: unknown } }>(
    core,
    'actions.run',
    {
      pluginName: 'hostile',
      actionId,
    },
  );
  expect(out.kind).toBe('result');
  return out.result;
}

describe('hostile plugins', () => {
  it('each attack fails its own action with a clear message; the app and the plugin keep working', async () => {
    env = await openPluginCore({
      plugins: {
        hostile: { code: hostile, manifest: { permissions: ['http', 'files'], hosts: ['example.org'] } },
        friendly: { code: friendly },
      },
    });
    const { core } = env;
    expect((await runSync(core, 'spin')).message).toMatch(
      /hostile (ran too long|did not finish within 1.5 s).*was stopped/,
    );
    expect((await runSync(core, 'huge')).message).toMatch(/out of memory/);
    expect((await runSync(core, 'grow')).message).toMatch(/out of memory/);
    expect((await runSync(core, 'require')).message).toMatch(/'require' is not defined/);
    expect((await runSync(core, 'process')).message).toMatch(/'process' is not defined/);
    expect((await runSync(core, 'escape')).message).toMatch(/'process' is not defined/);
    expect((await runSync(core, 'globals')).data).toEqual([]);
    expect((await runSync(core, 'fetch')).message).toMatch(
      /127\.0\.0\.2:9 is not among the hosts in plugin\.json \(example\.org\)/,
    );
    expect((await runSync(core, 'read')).message).toMatch(/outside the download folder/);
    expect((await runSync(core, 'readUp')).message).toMatch(/outside the download folder/);
    expect(await runSync(core, 'ok')).toEqual({ success: true, message: 'still here', data: 42 });

    // Another plugin's job still runs to the end, and the app still answers.
    const { job } = await call<{ job: PluginJob }>(core, 'actions.run', { pluginName: 'friendly', actionId: 'count' });
    const done = await waitFor(() => {
      const current = core.jobs.registry.get(job.id);
      return current.status === 'completed' ? current : undefined;
    });
    expect(done.result).toEqual({ counted: 4 });
    expect((await call<{ name: string }>(core, 'app.info', {})).name).toBe('Haul');
  });

  it('while a job loops forever, timers, downloads and other plugins go on; cancel stops the loop', async () => {
    env = await openPluginCore({ plugins: { hostile: { code: hostile }, friendly: { code: friendly } } });
    const { core, engine, downloadDir } = env;
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 5);
    try {
      const { job: spinning } = await call<{ job: PluginJob }>(core, 'actions.run', {
        pluginName: 'hostile',
        actionId: 'spinJob',
      });
      await waitFor(() => core.jobs.registry.get(spinning.id).status === 'running');
      const before = ticks;
      await waitFor(() => ticks > before + 5, 'the main thread to keep ticking');
      const [download] = core.jobs.submit({ url: 'https://files.example/a.bin' }).jobs;
      const attempt = await waitFor(() => engine.running()[0]);
      attempt.context.progress({ receivedBytes: 50, totalBytes: 100, speed: 10, connections: 1 });
      expect(core.jobs.registry.get(download!.id).progress).toBe(50);
      attempt.succeed({ path: join(downloadDir, 'a.bin'), fileName: 'a.bin' });
      await waitFor(() => core.jobs.registry.get(download!.id).status === 'completed');
      const { job: counting } = await call<{ job: PluginJob }>(core, 'actions.run', {
        pluginName: 'friendly',
        actionId: 'count',
      });
      await waitFor(() => core.jobs.registry.get(counting.id).status === 'completed');
      // The loop has no end of its own: it is still running after all of that.
      expect(core.jobs.registry.get(spinning.id).status).toBe('running');

      await call(core, 'jobs.cancel', { id: spinning.id });
      expect(await runSync(core, 'ok')).toMatchObject({ success: true, message: 'still here' });
      expect(core.jobs.registry.get(spinning.id).status).toBe('cancelled');
    } finally {
      clearInterval(ticker);
    }
  });

  it('a job that loops forever fails at its deadline with a timeout', async () => {
    env = await openPluginCore({ plugins: { hostile: { code: hostile } }, pluginTimeoutMs: 1000 });
    const { core } = env;
    const { job } = await call<{ job: PluginJob }>(core, 'actions.run', { pluginName: 'hostile', actionId: 'spinJob' });
    const failed = await waitFor(() => {
      const current = core.jobs.registry.get(job.id);
      return current.status === 'failed' ? current : undefined;
    });
    expect(failed.error).toMatchObject({ kind: 'timeout', message: 'Timed out after 1 s.' });
    expect(await runSync(core, 'ok')).toMatchObject({ success: true });
  });

  it('completing a job twice keeps the first result and logs the rest', async () => {
    env = await openPluginCore({ plugins: { hostile: { code: hostile } } });
    const { core } = env;
    const { job } = await call<{ job: PluginJob }>(core, 'actions.run', { pluginName: 'hostile', actionId: 'twice' });
    const done = await waitFor(() => {
      const current = core.jobs.registry.get(job.id);
      return current.status === 'completed' ? current : undefined;
    });
    expect(done.result).toEqual({ first: true });
    const log = await waitFor(() => {
      const lines = core.jobs.getWithLog(job.id).log;
      return lines.length >= 2 ? lines : undefined;
    });
    expect(log.join('\n')).toMatch(/complete\(.*\) ignored: the job is not running/);
    expect(log.join('\n')).toMatch(/fail\(.*\) ignored/);
  });

  it('a hook that throws is logged on the download, which still completes', async () => {
    env = await openPluginCore({ plugins: { hostile: { code: hostile } } });
    const { core, engine, downloadDir } = env;
    const [download] = core.jobs.submit({ url: 'https://files.example/b.bin' }).jobs;
    const path = join(downloadDir, 'b.bin');
    (await waitFor(() => engine.running()[0])).succeed({ path, fileName: 'b.bin' });
    await waitFor(() => core.jobs.registry.get(download!.id).status === 'completed');
    expect(core.jobs.getWithLog(download!.id).log.join('\n')).toMatch(/Plugin hostile failed: Error: hook exploded/);
    expect(await runSync(core, 'ok')).toMatchObject({ success: true });
  });
});
