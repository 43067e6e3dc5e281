import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DownloadJob } from '../../../src-common/contract';
import { scriptedEngine } from '../../test/job-kit';
import { tempDir } from '../../test/temp-dir';
import { createCoreWithParts, type Core, type CoreParts } from '../app';
import { call, testLimits, waitFor, writePlugin } from './test-kit';

// Logs each activate, so a test can count how often its worker started.
const sleepy = `
export function activate(haul) {
  haul.log('activated');
  haul.action({ id: 'tag', label: 'Tag', entity: 'custom', handler: () => ({ success: true, message: 'tagged' }) });
  haul.action({ id: 'slow', label: 'Slow', entity: 'custom', handler: async () => {
    await haul.sleep(800);
    return { success: true, message: 'slept' };
  } });
  haul.resolve('https://sleepy.example/*', (url) => ({ url: url + '?direct=1' }));
}`;

let dir: ReturnType<typeof tempDir> | undefined;
let core: (Core & CoreParts) | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
  dir?.remove();
  dir = undefined;
});

let engine = scriptedEngine();

async function open(dataDir: string, idleMs = 200): Promise<Core & CoreParts> {
  const downloadDir = join(dataDir, 'dl');
  mkdirSync(downloadDir, { recursive: true });
  engine = scriptedEngine();
  const opened = createCoreWithParts({
    dataDir,
    downloadDir,
    runtime: 'headless',
    version: '1.0.0',
    downloadRunner: engine.runner,
    bundledPluginsDir: join(dataDir, 'no-bundled'),
    plugins: { limits: { ...testLimits, idleMs } },
    jobs: { throttleMs: { download: 0, plugin: 0 } },
  });
  await opened.plugins.ready;
  return opened;
}

const activations = (c: Core & CoreParts) => c.plugins.logOf('sleepy').filter((l) => l.endsWith('activated')).length;
const tag = (c: Core & CoreParts, id = 'tag') =>
  call<{ result: { message: string } }>(c, 'actions.run', { pluginName: 'sleepy', actionId: id });

describe('plugin workers run only while there is work', () => {
  it('learns what a new plugin registers, then stops its worker when idle; work starts it again', async () => {
    dir = tempDir('haul-sleep-');
    writePlugin(join(dir.path, 'plugins'), 'sleepy', { code: sleepy });
    core = await open(dir.path);
    expect(activations(core)).toBe(1);
    await waitFor(() => !core!.plugins.isAwake('sleepy'), 'the idle worker to stop');
    expect(core.plugins.list().find((p) => p.name === 'sleepy')?.state).toBe('active');

    expect((await tag(core)).result.message).toBe('tagged');
    expect(activations(core)).toBe(2);
    await waitFor(() => !core!.plugins.isAwake('sleepy'), 'the worker to stop again');

    // A call that lasts longer than the idle time keeps its worker.
    expect((await tag(core, 'slow')).result.message).toBe('slept');
    expect(activations(core)).toBe(3);
  });

  it('a URL none of its patterns match does not wake it; one that matches does', async () => {
    dir = tempDir('haul-sleep-');
    writePlugin(join(dir.path, 'plugins'), 'sleepy', { code: sleepy });
    core = await open(dir.path);
    await waitFor(() => !core!.plugins.isAwake('sleepy'), 'the idle worker to stop');

    const other = await call<{ jobs: DownloadJob[] }>(core, 'downloads.submit', { url: 'https://other.example/a.bin' });
    expect(other.jobs[0]!.url).toBe('https://other.example/a.bin');
    expect(core.plugins.isAwake('sleepy')).toBe(false);
    expect(activations(core)).toBe(1);

    const matched = await call<{ jobs: DownloadJob[] }>(core, 'downloads.submit', {
      url: 'https://sleepy.example/b.bin',
    });
    expect(matched.jobs[0]!.url).toBe('https://sleepy.example/b.bin?direct=1');
    expect(activations(core)).toBe(2);
  });

  it('settings saved while its worker runs: once idle it starts again and registers from them', async () => {
    dir = tempDir('haul-sleep-');
    // Registers from its settings in activate only, with no settings.changed handler.
    writePlugin(join(dir.path, 'plugins'), 'tuned', {
      manifest: { settings: [{ key: 'host', label: 'Host', type: 'string', default: 'a.example' }] },
      code: `
export function activate(haul) {
  const host = haul.settings.get('host');
  haul.log('activated for ' + host);
  haul.resolve('https://' + host + '/*', (url) => ({ url: url + '?via=' + host }));
}`,
    });
    // Idle for a minute, as in the app: the worker does not go to sleep during the test.
    core = await open(dir.path, 60_000);
    const submit = async (url: string) =>
      (await call<{ jobs: DownloadJob[] }>(core!, 'downloads.submit', { url })).jobs;
    expect((await submit('https://a.example/1.bin'))[0]!.url).toBe('https://a.example/1.bin?via=a.example');
    expect(core.plugins.isAwake('tuned')).toBe(true);

    await call(core, 'plugins.updateSettings', { name: 'tuned', values: { host: 'b.example' } });
    await waitFor(
      () => core!.plugins.logOf('tuned').some((l) => l.endsWith('activated for b.example')),
      'a worker started with the new settings',
    );
    expect((await submit('https://b.example/2.bin'))[0]!.url).toBe('https://b.example/2.bin?via=b.example');
    expect((await submit('https://a.example/3.bin'))[0]!.url).toBe('https://a.example/3.bin');
  });

  it('after a restart, a plugin seen before is active and offers its actions without starting its worker', async () => {
    dir = tempDir('haul-sleep-');
    writePlugin(join(dir.path, 'plugins'), 'sleepy', { code: sleepy });
    core = await open(dir.path);
    await core.close();

    core = await open(dir.path);
    expect(core.plugins.isAwake('sleepy')).toBe(false);
    expect(activations(core)).toBe(0);
    const { actions } = await call<{ actions: { id: string }[] }>(core, 'actions.list', { entityType: 'custom' });
    expect(actions.map((a) => a.id).sort()).toEqual(['slow', 'tag']);
    expect((await tag(core)).result.message).toBe('tagged');
    expect(activations(core)).toBe(1);
  });
});

const listener = `
export function activate(haul) {
  haul.on('download.completed', ({ resource }) => { haul.log('heard ' + resource.name); });
}`;

/** Finishes one download through the scripted engine and waits for its end. */
async function finishOne(c: Core & CoreParts, name: string): Promise<DownloadJob> {
  const [job] = c.jobs.submit({ url: `https://files.example/${name}` }).jobs;
  const path = join(dir!.path, 'dl', name);
  writeFileSync(path, 'content');
  engine.running()[0]!.succeed({ path, fileName: name, totalBytes: 7, contentType: null, sha256: null });
  return waitFor(() => {
    const now = c.jobs.registry.get(job!.id) as DownloadJob;
    return now.status === 'completed' && now;
  }, `${name} to complete`);
}

describe('completion hooks run only when a plugin listens', () => {
  it('no plugin listening: no hook runs and the resource comes with the completion', async () => {
    dir = tempDir('haul-sleep-');
    writePlugin(join(dir.path, 'plugins'), 'sleepy', { code: sleepy });
    core = await open(dir.path);
    expect(core.completionHooks.list()).toEqual([]);
    const job = await finishOne(core, 'quiet.bin');
    expect(core.library.get((job as { resourceId: number }).resourceId).name).toBe('quiet.bin');
  });

  it('a plugin listening to download.completed hears each download, and stops when disabled', async () => {
    dir = tempDir('haul-sleep-');
    writePlugin(join(dir.path, 'plugins'), 'listener', { code: listener });
    core = await open(dir.path);
    expect(core.completionHooks.list().map((h) => h.name)).toEqual(['plugins']);
    await finishOne(core, 'heard.bin');
    expect(core.plugins.logOf('listener').some((l) => l.endsWith('heard heard.bin'))).toBe(true);

    await call(core, 'plugins.disable', { name: 'listener' });
    expect(core.completionHooks.list()).toEqual([]);
    await finishOne(core, 'unheard.bin');
    expect(core.plugins.logOf('listener').some((l) => l.endsWith('heard unheard.bin'))).toBe(false);
  });
});
