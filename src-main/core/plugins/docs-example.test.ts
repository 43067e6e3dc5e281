import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PluginJob } from '../../../src-common/contract';
import { call, openPluginCore, waitFor, type PluginCore } from './test-kit';

/** The files of the worked example, exactly as docs/plugins.md shows them. */
function exampleFiles(): Record<string, string> {
  const doc = readFileSync(new URL('../../../docs/plugins.md', import.meta.url), 'utf8');
  const files: Record<string, string> = {};
  for (const match of doc.matchAll(/<!-- example: ([\w./-]+) -->\n+```\w+\n([\s\S]*?)```/g))
    files[match[1]!] = match[2]!;
  return files;
}

let env: PluginCore | undefined;
afterEach(() => env?.close());

describe('docs/plugins.md', () => {
  it('the worked example installs and runs as written', async () => {
    env = await openPluginCore();
    const folder = join(env.dir, 'mine', 'url-ranges');
    mkdirSync(folder, { recursive: true });
    const files = exampleFiles();
    expect(Object.keys(files).sort()).toEqual(['url-ranges/main.js', 'url-ranges/plugin.json']);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, '..', name), text);

    expect(await call(env.core, 'plugins.install', { path: folder })).toMatchObject({ state: 'active', error: null });
    const { job } = await call<{ job: PluginJob }>(env.core, 'actions.run', {
      pluginName: 'url-ranges',
      actionId: 'queue-range',
      params: { pattern: 'https://example.com/img-[01-12].jpg', paused: true },
    });
    const done = await waitFor(() => {
      const current = env!.core.jobs.registry.get(job.id);
      return current.status === 'completed' || current.status === 'failed' ? current : undefined;
    });
    expect(done).toMatchObject({ status: 'completed', result: { queued: 12, total: 12 } });
    const urls = env.core.jobs.registry.snapshot().jobs.map((j) => j.url);
    expect(urls).toContain('https://example.com/img-01.jpg');
    expect(urls).toContain('https://example.com/img-12.jpg');
    expect(env.core.plugins.notifications.list()).toMatchObject([
      { title: 'Series queued', body: '12 downloads (12 so far)' },
    ]);

    const refused = await call<{ job: PluginJob }>(env.core, 'actions.run', {
      pluginName: 'url-ranges',
      actionId: 'queue-range',
      params: { pattern: 'https://example.com/no-range.jpg' },
    });
    const failed = await waitFor(() => {
      const current = env!.core.jobs.registry.get(refused.job.id);
      return current.status === 'failed' ? current : undefined;
    });
    expect(failed.error?.message).toBe('Plugin url-ranges failed: Error: the pattern needs a range like [1-40]');
  });
});
