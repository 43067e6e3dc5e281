import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { PluginInfo, PluginJob, PluginNotification } from '../../../src-common/contract';
import { createCoreWithParts } from '../app';
import { zipOf } from './zip-kit';
import { call, openPluginCore, testLimits, waitFor, writePlugin, type PluginCore } from './test-kit';

let env: PluginCore | undefined;
let server: Server | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

const list = async (core: PluginCore['core']) =>
  (await call<{ plugins: PluginInfo[] }>(core, 'plugins.list', {})).plugins;
const find = async (core: PluginCore['core'], name: string) => (await list(core)).find((p) => p.name === name);

const echo = (tag: string) => `
export function activate(haul) {
  haul.action({ id: 'tag', label: 'Tag', entity: 'custom', handler: () => ({ success: true, message: '${tag}', data: haul.settings.get() }) });
}`;

describe('plugin host', () => {
  it('reports a bad manifest with the field and the reason and does not load it', async () => {
    env = await openPluginCore({
      plugins: {
        typo: { code: echo('x'), manifest: { permisions: ['http'] } },
        badsetting: {
          code: echo('x'),
          manifest: {
            settings: [
              { key: 'mode', label: 'Mode', type: 'select', default: 'c', options: [{ value: 'a', label: 'A' }] },
            ],
          },
        },
        nohosts: { code: echo('x'), manifest: { permissions: ['http'] } },
        notjson: { code: echo('x'), manifestText: '{ nope' },
        noactivate: { code: 'export const x = 1;' },
        throws: { code: 'export function activate() { throw new Error("cannot start"); }' },
        good: { code: echo('fine') },
      },
    });
    const plugins = await list(env.core);
    const error = (name: string) => plugins.find((p) => p.name === name || p.path.endsWith(name))?.error;
    expect(error('typo')).toMatch(/plugin\.json: .*permisions/);
    expect(error('badsetting')).toBe('plugin.json: settings.0.default: must be one of a');
    expect(error('nohosts')).toBe('plugin.json: hosts: the http permission needs at least one host');
    expect(error('notjson')).toMatch(/^plugin\.json is not valid JSON/);
    expect(error('noactivate')).toBe('activate failed: main.js must export a function activate(haul)');
    expect(error('throws')).toBe('activate failed: Error: cannot start');
    expect(plugins.find((p) => p.name === 'good')).toMatchObject({ state: 'active', error: null });
    const { actions } = await call<{ actions: { pluginName: string }[] }>(env.core, 'actions.list', {
      entityType: 'custom',
    });
    expect(actions.map((a) => a.pluginName)).toEqual(['good']);
  });

  it('keeps enable/disable and settings across a restart, and validates settings', async () => {
    env = await openPluginCore({
      plugins: {
        cfg: {
          code: echo('cfg'),
          manifest: { settings: [{ key: 'size', label: 'Size', type: 'number', default: 3, min: 1, max: 10 }] },
        },
      },
    });
    await call(env.core, 'plugins.updateSettings', { name: 'cfg', values: { size: 7 } });
    const refused = await env.core.invoke('plugins.updateSettings', { name: 'cfg', values: { size: 70 } });
    expect(refused).toMatchObject({ ok: false, error: { message: 'values.size: must be at most 10' } });
    const ran = await call<{ result: { data: unknown } }>(env.core, 'actions.run', {
      pluginName: 'cfg',
      actionId: 'tag',
    });
    expect(ran.result.data).toEqual({ size: 7 });
    await call(env.core, 'plugins.disable', { name: 'cfg' });
    expect(await env.core.invoke('actions.run', { pluginName: 'cfg', actionId: 'tag' })).toMatchObject({
      ok: false,
      error: { kind: 'conflict' },
    });
    await env.core.close();

    const again = createCoreWithParts({
      dataDir: env.dir,
      downloadDir: env.downloadDir,
      runtime: 'headless',
      version: '1',
      bundledPluginsDir: join(env.dir, 'none'),
      plugins: { limits: testLimits },
    });
    env = { ...env, core: again };
    await again.plugins.ready;
    expect(await find(again, 'cfg')).toMatchObject({ enabled: false, state: 'disabled', settings: { size: 7 } });
    await call(again, 'plugins.enable', { name: 'cfg' });
    expect(await find(again, 'cfg')).toMatchObject({ enabled: true, state: 'active' });
  });

  it('installs from a folder and from a .zip, and reloads new code without a restart', async () => {
    env = await openPluginCore();
    const source = writePlugin(join(env.dir, 'src'), 'hello', { code: echo('v1') });
    expect(await call<PluginInfo>(env.core, 'plugins.install', { path: source })).toMatchObject({
      name: 'hello',
      state: 'active',
    });
    const run = async () =>
      (await call<{ result: { message: string } }>(env!.core, 'actions.run', { pluginName: 'hello', actionId: 'tag' }))
        .result.message;
    expect(await run()).toBe('v1');

    const zip = join(env.dir, 'hello.zip');
    const manifest = JSON.stringify({ name: 'hello', version: '2.0.0', description: '', author: '' });
    writeFileSync(zip, zipOf({ 'hello/plugin.json': manifest, 'hello/main.js': echo('v2') }, deflateRawSync));
    // An installed plugin's name: replaced once asked to (it takes the settings and data).
    expect(await env.core.invoke('plugins.install', { path: zip })).toMatchObject({
      ok: false,
      error: { kind: 'conflict', details: { field: 'replace' } },
    });
    expect(await run()).toBe('v1');
    expect(await call<PluginInfo>(env.core, 'plugins.install', { path: zip, replace: true })).toMatchObject({
      version: '2.0.0',
    });
    expect(await run()).toBe('v2');

    writeFileSync(join(env.dir, 'plugins', 'hello', 'main.js'), echo('v3'));
    await call(env.core, 'plugins.reload', { name: 'hello' });
    expect(await run()).toBe('v3');

    const evil = join(env.dir, 'evil.zip');
    writeFileSync(evil, zipOf({ '../escape/plugin.json': manifest, 'main.js': echo('x') }, deflateRawSync));
    expect(await env.core.invoke('plugins.install', { path: evil })).toMatchObject({
      ok: false,
      error: { kind: 'invalid_input', message: 'path: ../escape/plugin.json: ".." is not allowed in names' },
    });
  });

  it('says what replacing an installed plugin changes before another of its name takes its stored data', async () => {
    env = await openPluginCore();
    const writeVersion = (dir: string, version: string, author: string, permissions: string[], code: string) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, 'plugin.json'),
        JSON.stringify({ name: 'sync', version, description: '', author, permissions, hosts: ['collect.example'] }),
      );
      writeFileSync(join(dir, 'main.js'), code);
      return dir;
    };
    const keep = `export async function activate(haul) { await haul.storage.set('key', 'secret-of-alice'); }`;
    const read = `export function activate(haul) {
  haul.action({ id: 'peek', label: 'Peek', entity: 'custom', handler: async () => ({ success: true, message: String(await haul.storage.get('key')) }) });
}`;
    await call(env.core, 'plugins.install', {
      path: writeVersion(join(env.dir, 'a'), '1.0.0', 'Alice', ['storage'], keep),
    });
    const impostor = writeVersion(join(env.dir, 'm'), '9.0.0', 'Mallory', ['storage', 'http'], read);
    const refused = await env.core.invoke('plugins.install', { path: impostor });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'conflict', details: { field: 'replace' } } });
    expect((refused as { error: { message: string } }).error.message).toBe(
      'sync 1.0.0 by Alice is installed (storage). This one is 9.0.0 by Mallory (storage, http; new: http). ' +
        "Replacing it gives it sync's settings and stored data.",
    );
    expect(await find(env.core, 'sync')).toMatchObject({ version: '1.0.0' });
    // Told, the user agrees: an update's way, the data goes along.
    expect(await call<PluginInfo>(env.core, 'plugins.install', { path: impostor, replace: true })).toMatchObject({
      version: '9.0.0',
    });
    const peek = await call<{ result: { message: string } }>(env.core, 'actions.run', {
      pluginName: 'sync',
      actionId: 'peek',
    });
    expect(peek.result.message).toBe('secret-of-alice');

    // One that does not load is asked about too: its settings and data are still there.
    writeFileSync(join(env.dir, 'plugins', 'sync', 'plugin.json'), '{ not json');
    await call(env.core, 'plugins.reload', { name: 'sync' });
    const overBroken = await env.core.invoke('plugins.install', {
      path: writeVersion(join(env.dir, 'n'), '9.1.0', '', [], read),
    });
    expect((overBroken as { error: { message: string } }).error.message).toMatch(
      /^sync is installed but does not load \(.+\)\. This one is 9\.1\.0 \(no permissions\)\. Replacing it gives it sync's settings and stored data\.$/,
    );
  });

  it('startJob runs a programmatic job with progress; storage and notify work with their permissions only', async () => {
    env = await openPluginCore({
      plugins: {
        importer: {
          manifest: { permissions: ['storage', 'notify'] },
          code: `
export function activate(haul) {
  haul.action({ id: 'go', label: 'Go', entity: 'custom', handler: async () => {
    const id = await haul.startJob('Import data', async (jobId) => {
      for (let i = 1; i <= 10; i += 1) haul.job.progress(jobId, i * 10, 'row ' + i);
      await haul.storage.set('rows', { count: 10 });
      await haul.notify('Import finished', '10 rows', 'success');
      haul.job.complete(jobId, { rows: (await haul.storage.get('rows')).count, keys: await haul.storage.keys() });
    });
    return { success: true, message: 'started', data: id };
  } });
}`,
        },
        nosy: {
          code: `export function activate(haul) { haul.action({ id: 'peek', label: 'Peek', entity: 'custom', handler: () => haul.storage.get('rows') }); }`,
        },
      },
    });
    const notified: PluginNotification[] = [];
    env.core.plugins.notifications.on('notification', (note) => notified.push(note));
    const started = await call<{ result: { data: string } }>(env.core, 'actions.run', {
      pluginName: 'importer',
      actionId: 'go',
    });
    const job = await waitFor(() => {
      const current = env!.core.jobs.registry.get(started.result.data) as PluginJob;
      return current.status === 'completed' ? current : undefined;
    });
    expect(job).toMatchObject({
      actionId: 'start_job',
      entityType: 'custom',
      label: 'Import data',
      result: { rows: 10, keys: ['rows'] },
    });
    expect(notified).toMatchObject([{ pluginName: 'importer', title: 'Import finished', level: 'success' }]);
    expect(
      (await call<{ notifications: unknown[] }>(env.core, 'plugins.notifications', {})).notifications,
    ).toHaveLength(1);
    const peek = await call<{ result: { success: boolean; message: string } }>(env.core, 'actions.run', {
      pluginName: 'nosy',
      actionId: 'peek',
    });
    expect(peek.result).toMatchObject({
      success: false,
      message: 'Plugin nosy failed: Error: haul.storage needs "storage" in the permissions of plugin.json',
    });
  });

  it('http.fetch reaches listed hosts and refuses a redirect to an unlisted one', async () => {
    server = createServer((req, res) => {
      if (req.url === '/away') res.writeHead(302, { location: 'http://localhost:1/x' }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url }));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    env = await openPluginCore({
      plugins: {
        web: {
          manifest: { permissions: ['http'], hosts: [`127.0.0.1:${port}`] },
          code: `export function activate(haul) {
  haul.action({ id: 'get', label: 'Get', entity: 'custom', params: [{ name: 'path', label: 'Path', type: 'text', required: true }],
    handler: async ({ params }) => (await haul.http.fetch('http://127.0.0.1:${port}' + params.path, { responseType: 'json' })).json });
}`,
        },
      },
    });
    const get = async (path: string) =>
      (
        await call<{ result: { success: boolean; message: string; data: unknown } }>(env!.core, 'actions.run', {
          pluginName: 'web',
          actionId: 'get',
          params: { path },
        })
      ).result;
    expect((await get('/hello')).data).toEqual({ path: '/hello' });
    expect((await get('/away')).message).toMatch(/localhost:1 is not among the hosts in plugin\.json/);
    expect(
      await env.core.invoke('actions.run', { pluginName: 'web', actionId: 'get', params: { path: 5 } }),
    ).toMatchObject({
      ok: false,
      error: { message: 'params.path: must be text, got number 5' },
    });
  });

  it('http.fetch runs four of a plugin at once, and takes no answer over half its memory', async () => {
    let open = 0;
    let most = 0;
    server = createServer((req, res) => {
      if (req.url === '/big') return void res.end(Buffer.alloc(9 * 1024 * 1024, 97));
      open += 1;
      most = Math.max(most, open);
      setTimeout(() => {
        open -= 1;
        res.end('ok');
      }, 50);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    env = await openPluginCore({
      plugins: {
        web: {
          manifest: { permissions: ['http'], hosts: [`127.0.0.1:${port}`], memoryMb: 16 },
          code: `export function activate(haul) {
  const base = 'http://127.0.0.1:${port}';
  haul.action({ id: 'many', label: 'Many', entity: 'custom', handler: async () => {
    const bodies = await Promise.all(Array.from({ length: 10 }, (_, i) => haul.http.fetch(base + '/slow/' + i)));
    return { success: true, message: bodies.map((a) => a.body).join(',') };
  } });
  haul.action({ id: 'big', label: 'Big', entity: 'custom', handler: async () =>
    (await haul.http.fetch(base + '/big', { maxBytes: 50 * 1024 * 1024 })).body.length });
}`,
        },
      },
    });
    const run = async (actionId: string) =>
      (
        await call<{ result: { message: string } }>(env!.core, 'actions.run', {
          pluginName: 'web',
          actionId,
          params: {},
        })
      ).result;
    expect((await run('many')).message).toBe(Array(10).fill('ok').join(','));
    expect(most).toBe(4);
    // Asked for 50 MB, held to half its memory: raising maxBytes would not help, and it says so.
    expect((await run('big')).message).toMatch(
      /the answer is over 8388608 bytes \(the most this plugin may fetch: 50 MB and half its memoryMb\)/,
    );
  });

  it('a worker that dies fails its calls and jobs with a clear message and is replaced', async () => {
    env = await openPluginCore({ plugins: {} });
    const crashingWorker = fileURLToPath(new URL('./crashing-worker.ts', import.meta.url));
    await env.core.close();
    mkdirSync(join(env.dir, 'plugins'), { recursive: true });
    writePlugin(join(env.dir, 'plugins'), 'fragile', {
      code: `export function activate(haul) {
  haul.action({ id: 'crash', label: 'Crash', entity: 'custom', handler: () => 1 });
  haul.action({ id: 'wait', label: 'Wait', entity: 'custom', async: true, handler: () => haul.sleep(60000) });
  haul.action({ id: 'ok', label: 'OK', entity: 'custom', handler: () => 'fine' });
}`,
    });
    const core = createCoreWithParts({
      dataDir: env.dir,
      downloadDir: env.downloadDir,
      runtime: 'headless',
      version: '1',
      bundledPluginsDir: join(env.dir, 'none'),
      plugins: { limits: testLimits, workerFile: crashingWorker },
    });
    env = { ...env, core };
    await core.plugins.ready;
    const { job } = await call<{ job: PluginJob }>(core, 'actions.run', { pluginName: 'fragile', actionId: 'wait' });
    await waitFor(() => core.jobs.registry.get(job.id).status === 'running');
    const crashed = await call<{ result: { success: boolean; message: string } }>(core, 'actions.run', {
      pluginName: 'fragile',
      actionId: 'crash',
    });
    expect(crashed.result).toMatchObject({
      success: false,
      message: 'Plugin fragile stopped: its worker exited (code 3).',
    });
    const failed = await waitFor(() => {
      const current = core.jobs.registry.get(job.id);
      return current.status === 'failed' ? current : undefined;
    });
    expect(failed.error?.message).toBe('Plugin fragile stopped: its worker exited (code 3).');
    const ok = await call<{ result: { data: unknown } }>(core, 'actions.run', {
      pluginName: 'fragile',
      actionId: 'ok',
    });
    expect(ok.result.data).toBe('fine');
    expect((await call<{ lines: string[] }>(core, 'plugins.log', { name: 'fragile' })).lines.join('\n')).toMatch(
      /stopped: its worker exited/,
    );
  });
});
