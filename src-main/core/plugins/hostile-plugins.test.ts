import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActionResult, DownloadJob } from '../../../src-common/contract';
import { call, openPluginCore, waitFor, type PluginCore } from './test-kit';

/** Every way a plugin could name a file, a folder or a host beyond its grant: all refused. */
let env: PluginCore | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

/** A plugin whose action `try` runs `body` (an expression awaiting a haul call) with `arg`. */
const trying = (body: string) => `
export function activate(haul) {
  haul.action({ id: 'try', label: 'Try', entity: 'custom', params: [{ name: 'arg', label: 'arg', type: 'text' }],
    handler: async ({ params }) => {
      const arg = params.arg;
      try { return { success: true, message: 'allowed', data: await (${body}) }; }
      catch (error) { return { success: false, message: String(error && error.message || error), data: null }; }
    } });
}`;

async function attempt(core: PluginCore['core'], plugin: string, arg: string): Promise<ActionResult> {
  const out = await call<{ kind: string; result: ActionResult }>(core, 'actions.run', {
    pluginName: plugin,
    actionId: 'try',
    params: { arg },
  });
  return out.result;
}

const submitter = {
  manifest: { permissions: ['downloads'], hosts: ['files.example'] },
  code: trying('haul.downloads.submit(JSON.parse(arg))'),
};

describe('hostile plugins', () => {
  it('downloads.submit: a folder outside the download folder, up with .., through a link, or a path as name', async () => {
    env = await openPluginCore({ plugins: { sub: submitter } });
    const outside = join(env.dir, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, join(env.downloadDir, 'link'));
    const tries = [
      { url: 'https://files.example/a.desktop', dir: join(outside, 'autostart') },
      { url: 'https://files.example/a.desktop', dir: '../outside' },
      { url: 'https://files.example/a.desktop', dir: 'link/autostart' },
      { url: 'https://files.example/a.desktop', fileName: '../../outside/a.desktop' },
    ];
    for (const input of tries) {
      const result = await attempt(env.core, 'sub', JSON.stringify(input));
      expect(result.success, JSON.stringify(input)).toBe(false);
      expect(result.message).toMatch(/haul\.downloads\.submit: .*(outside the download folder|plain file name)/);
    }
    expect(env.core.jobs.registry.snapshot().jobs).toEqual([]);
    // The same call inside the grant goes through, into the real download folder.
    const ok = await attempt(env.core, 'sub', JSON.stringify({ url: 'https://files.example/b.bin', dir: 'sub' }));
    expect(ok).toMatchObject({ message: 'allowed', success: true });
    const [job] = env.core.jobs.registry.snapshot().jobs;
    expect(job?.dir).toBe(join(env.downloadDir, 'sub'));
  });

  it('downloads.submit: into the data folder, even when it lies inside the download folder', async () => {
    env = await openPluginCore({ dataInDownloads: true, plugins: { sub: submitter } });
    const result = await attempt(
      env.core,
      'sub',
      JSON.stringify({ url: 'https://files.example/main.js', dir: '.haul/plugins/evil' }),
    );
    expect(result.success).toBe(false);
    expect(result.message).toMatch(/inside Haul's data folder, which plugins cannot reach/);
    expect(existsSync(join(env.dir, 'plugins', 'evil'))).toBe(false);
  });

  it('downloads.submit: a host outside plugin.json hosts, also on a later line; none without hosts', async () => {
    env = await openPluginCore({
      plugins: {
        sub: submitter,
        nohosts: { manifest: { permissions: ['downloads'] }, code: submitter.code },
      },
    });
    const lines = { url: 'https://files.example/1.bin\nhttp://127.0.0.1:9/secret' };
    const result = await attempt(env.core, 'sub', JSON.stringify(lines));
    expect(result).toMatchObject({ success: false });
    expect(result.message).toMatch(/127\.0\.0\.1:9 is not among the hosts in plugin\.json \(files\.example\)/);
    const bare = await attempt(env.core, 'nohosts', JSON.stringify({ url: 'https://files.example/1.bin' }));
    expect(bare.message).toMatch(/files\.example is not among the hosts in plugin\.json \(none\)/);
    expect(env.core.jobs.registry.snapshot().jobs).toEqual([]);
  });

  it('files.*: read, hash and move through a link to the data folder, or out of the download folder', async () => {
    env = await openPluginCore({
      dataInDownloads: true,
      plugins: {
        reader: { manifest: { permissions: ['files'] }, code: trying('haul.files.read(arg)') },
        hasher: { manifest: { permissions: ['files'] }, code: trying("haul.files.hash(arg, 'sha256')") },
        mover: { manifest: { permissions: ['files'] }, code: trying("haul.files.move('a.txt', arg)") },
      },
    });
    writeFileSync(join(env.downloadDir, 'a.txt'), 'a');
    symlinkSync(join(env.dir, 'haul.db'), join(env.downloadDir, 'db-link'));
    for (const [plugin, arg] of [
      ['reader', 'db-link'],
      ['reader', '.haul/api-token'],
      ['hasher', '.haul/haul.db'],
      ['mover', '.haul/plugins/evil/main.js'],
      ['mover', '../../a.txt'],
    ] as const) {
      const result = await attempt(env.core, plugin, arg);
      expect(result.success, `${plugin} ${arg}`).toBe(false);
      expect(result.message).toMatch(/files(\.move)?: .*(inside Haul's data folder|outside the download folder)/);
    }
    expect(existsSync(join(env.downloadDir, 'a.txt'))).toBe(true);
    expect(await attempt(env.core, 'reader', 'a.txt')).toMatchObject({ success: true, data: 'a' });
  });

  it('a download.completed hook that moves the file out is refused; the file stays and the reason is logged', async () => {
    env = await openPluginCore({
      plugins: {
        hook: {
          manifest: { permissions: ['files'] },
          code: `export function activate(haul) {
  haul.on('download.completed', async ({ resource }) => { await haul.files.move(resource.id, '../../stolen/'); });
}`,
        },
      },
    });
    const [job] = env.core.jobs.submit({ url: 'https://files.example/f.bin' }).jobs;
    const path = join(env.downloadDir, 'f.bin');
    writeFileSync(path, 'content');
    const running = await waitFor(() => env!.engine.running().find((a) => a.context.job.id === job!.id));
    running.succeed({ path, fileName: 'f.bin', totalBytes: 7, contentType: null });
    await waitFor(() => (env!.core.jobs.registry.get(job!.id) as DownloadJob).status === 'completed');
    expect(existsSync(path)).toBe(true);
    expect(existsSync(join(env.dir, 'stolen'))).toBe(false);
    const { lines } = await call<{ lines: string[] }>(env.core, 'plugins.log', { name: 'hook' });
    expect(lines.join('\n')).toMatch(/files\.move: \.\.\/\.\.\/stolen\/ is outside the download folder/);
  });

  it('a path taken from a setting the plugin declares is judged like any other', async () => {
    env = await openPluginCore({
      plugins: {
        sorter: {
          manifest: {
            permissions: ['files'],
            settings: [{ key: 'target', label: 'Target', type: 'string', default: '../../.config/autostart/' }],
          },
          code: trying("haul.files.move('a.txt', haul.settings.get('target'))"),
        },
      },
    });
    writeFileSync(join(env.downloadDir, 'a.txt'), 'a');
    expect((await attempt(env.core, 'sorter', '')).message).toMatch(/outside the download folder/);
    await call(env.core, 'plugins.updateSettings', { name: 'sorter', values: { target: join(env.dir, 'x') + '/' } });
    expect((await attempt(env.core, 'sorter', '')).message).toMatch(/outside the download folder/);
    expect(readdirSync(env.downloadDir)).toEqual(['a.txt']);
  });

  it('a resolver that leads to a host outside its grant, or names a path, is refused: the URL goes on as given', async () => {
    env = await openPluginCore({
      plugins: {
        elsewhere: {
          manifest: { hosts: ['cdn.example'] },
          code: `export function activate(haul) {
  haul.resolve('https://share.example/*', (url) => url.replace('share.example', '127.0.0.1:9'));
  haul.resolve('https://named.example/*', (url) => ({ url: url + '.bin', fileName: '../../evil.desktop' }));
}`,
        },
      },
    });
    const out = await call<{ jobs: DownloadJob[] }>(env.core, 'downloads.submit', {
      url: 'https://share.example/a\nhttps://named.example/b',
    });
    expect(out.jobs.map((j) => j.url)).toEqual(['https://share.example/a', 'https://named.example/b']);
    expect(out.jobs.every((j) => j.fileName === null)).toBe(true);
    const { lines } = await call<{ lines: string[] }>(env.core, 'plugins.log', { name: 'elsewhere' });
    const log = lines.join('\n');
    expect(log).toMatch(/haul\.resolve: 127\.0\.0\.1:9 is not among the hosts in plugin\.json \(cdn\.example\)/);
    expect(log).toMatch(/haul\.resolve: fileName must be a plain file name/);
  });

  it('a forged registration (null, or a RegExp whose flags are no string) is refused and logged; Haul goes on', async () => {
    env = await openPluginCore({
      plugins: {
        forger: {
          code: `export function activate(haul) {
  const fake = Object.create(RegExp.prototype, { source: { value: 'x' }, flags: { value: 7 }, test: { value: () => false } });
  haul.resolve(fake, () => null);
  haul.action({ id: 'go', label: 'go', entity: 'custom', handler() {
    const real = JSON.stringify;
    JSON.stringify = (value) => (Array.isArray(value) && value[0] && value[0].what ? '[null]' : real(value));
    haul.on('download.completed', () => {});
    JSON.stringify = real;
    return 'sent';
  } });
}`,
        },
      },
    });
    const { core } = env;
    const out = await call<{ jobs: DownloadJob[] }>(core, 'downloads.submit', { url: 'https://files.example/a.bin' });
    expect(out.jobs).toHaveLength(1);
    await call(core, 'actions.run', { pluginName: 'forger', actionId: 'go', params: {} });
    const log = await waitFor(() => {
      const lines = core.plugins.logOf('forger').filter((line) => line.includes('a registration was refused'));
      return lines.length === 2 ? lines : undefined;
    }, 'both forged registrations to be refused');
    expect(log.join('\n')).toMatch(/regex\.flags/);
    expect(core.plugins.list().find((p) => p.name === 'forger')?.state).toBe('active');
    expect(
      (await call<{ jobs: DownloadJob[] }>(core, 'downloads.submit', { url: 'https://files.example/b.bin' })).jobs,
    ).toHaveLength(1);
  });

  it('a plugin registering without end keeps one entry per action and at most 500 in all', async () => {
    env = await openPluginCore({
      plugins: {
        flood: {
          code: `export function activate(haul) {
  haul.action({ id: 'go', label: 'go', entity: 'custom', handler() {
    for (let i = 0; i < 2000; i += 1) haul.action({ id: 'same', label: 'same ' + i, entity: 'custom', handler() {} });
    for (let i = 0; i < 2000; i += 1) haul.action({ id: 'a' + i, label: 'a', entity: 'custom', handler() {} });
    return 'done';
  } });
}`,
        },
      },
    });
    const { core } = env;
    await call(core, 'actions.run', { pluginName: 'flood', actionId: 'go', params: {} });
    await waitFor(
      () => core.plugins.logOf('flood').some((line) => line.includes('more than 500 actions, resolvers and hooks')),
      'the cap to be said',
    );
    const actions = await waitFor(() => {
      const listed = core.plugins.listActions('custom').filter((a) => a.pluginName === 'flood');
      return listed.length === 500 ? listed : undefined;
    }, 'the actions up to the cap');
    expect(actions.find((a) => a.id === 'same')?.label).toBe('same 1999');
    expect(core.plugins.logOf('flood').filter((line) => line.includes('more than 500'))).toHaveLength(1);
  });
});
