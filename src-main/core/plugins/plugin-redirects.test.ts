import { readdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ActionResult, DownloadJob } from '../../../src-common/contract';
import { TestServer } from '../downloads/test-server';
import { call, openPluginCore, waitFor, type PluginCore } from './test-kit';

/**
 * A plugin's downloads reach only its plugin.json hosts on every hop: a listed server
 * that redirects elsewhere does not carry the download (or a byte of it) off the list.
 */
let allowed: TestServer;
let other: TestServer;
let user: TestServer;
let env: PluginCore | undefined;
beforeAll(async () => {
  [allowed, other, user] = await Promise.all([TestServer.start(), TestServer.start(), TestServer.start()]);
  other.file('/payload.bin', Buffer.alloc(64 * 1024, 7));
  allowed.redirect('/go', other.url('/payload.bin'));
  allowed.file('/ok.bin', Buffer.from('granted'));
});
afterEach(async () => {
  await env?.close();
  env = undefined;
});
afterAll(async () => {
  await Promise.all([allowed.close(), other.close(), user.close()]);
});

const hostOf = (server: TestServer): string => new URL(server.url('/')).host;

const submitter = () => ({
  manifest: { permissions: ['downloads'], hosts: [hostOf(allowed)] },
  code: `export function activate(haul) {
  haul.action({ id: 'get', label: 'Get', entity: 'custom', params: [{ name: 'url', label: 'url', type: 'text' }],
    handler: async ({ params }) => ({ success: true, message: 'ok', data: await haul.downloads.submit({ url: params.url }) }) });
}`,
});

async function submitFromPlugin(core: PluginCore['core'], url: string): Promise<string> {
  const out = await call<{ result: ActionResult }>(core, 'actions.run', {
    pluginName: 'sub',
    actionId: 'get',
    params: { url },
  });
  expect(out.result.success).toBe(true);
  return (out.result.data as { jobs: { id: string }[] }).jobs[0]!.id;
}

function settled(core: PluginCore['core'], id: string): Promise<DownloadJob> {
  return waitFor(() => {
    const job = core.jobs.registry.get(id) as DownloadJob;
    return job.status === 'completed' || job.status === 'failed' ? job : undefined;
  }, `job ${id} to end`);
}

describe('plugin downloads and redirects', () => {
  it('a URL on an allowed host that redirects to another host is refused before the other host is asked', async () => {
    env = await openPluginCore({ realEngine: true, plugins: { sub: submitter() } });
    const id = await submitFromPlugin(env.core, allowed.url('/go'));
    const job = await settled(env.core, id);
    expect(job.status).toBe('failed');
    expect(job.error?.kind).toBe('plugin');
    expect(job.error?.message).toBe(
      `The server redirected to an address that is on ${hostOf(other)}, which the plugin that added this download may not reach (its hosts: ${hostOf(allowed)}).`,
    );
    expect(job.options.allowedHosts).toEqual([hostOf(allowed)]);
    expect(other.log).toEqual([]);
    expect(readdirSync(env.downloadDir)).toEqual([]);
    // Within the grant the same plugin's download completes; the user's own is not limited.
    const ok = await settled(env.core, await submitFromPlugin(env.core, allowed.url('/ok.bin')));
    expect(ok.status).toBe('completed');
    const [mine] = env.core.jobs.submit({ url: allowed.url('/go') }).jobs;
    expect((await settled(env.core, mine!.id)).status).toBe('completed');
    expect(mine!.options.allowedHosts).toBeUndefined();
  });

  it("a resolver's link to one of its hosts keeps to its hosts and the user's on every redirect", async () => {
    env = await openPluginCore({
      realEngine: true,
      plugins: {
        res: {
          manifest: { hosts: [hostOf(allowed)] },
          code: `export function activate(haul) { haul.resolve('${user.url('/share/*')}', () => '${allowed.url('/go')}'); }`,
        },
      },
    });
    const asked = other.log.length;
    const { jobs } = await call<{ jobs: DownloadJob[] }>(env.core, 'downloads.submit', { url: user.url('/share/1') });
    expect(jobs[0]!.url).toBe(allowed.url('/go'));
    const job = await settled(env.core, jobs[0]!.id);
    expect(job.status).toBe('failed');
    expect(job.error?.message).toMatch(/redirected to an address that is on 127\.0\.0\.1:\d+, which the plugin/);
    expect(job.options.allowedHosts).toEqual([hostOf(allowed), hostOf(user)]);
    expect(other.log.slice(asked)).toEqual([]);
  });
});
