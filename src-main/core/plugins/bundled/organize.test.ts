import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DownloadJob } from '../../../../src-common/contract';
import { call, openPluginCore, waitFor, type PluginCore } from '../test-kit';

let env: PluginCore;
beforeEach(async () => {
  env = await openPluginCore({ bundled: true });
});
afterEach(() => env.close());

async function download(name: string, contentType: string | null, dir = env.downloadDir): Promise<DownloadJob> {
  const [job] = env.core.jobs.submit({
    url: `https://files.example/${name}`,
    ...(dir !== env.downloadDir ? { dir } : {}),
  }).jobs;
  const path = join(dir, name);
  writeFileSync(path, 'content');
  const attempt = await waitFor(() => env.engine.running().find((a) => a.context.job.id === job!.id));
  attempt.succeed({ path, fileName: name, totalBytes: 7, contentType });
  return waitFor(() => {
    const current = env.core.jobs.registry.get(job!.id) as DownloadJob;
    return current.status === 'completed' ? current : undefined;
  });
}

describe('bundled plugin: organize', () => {
  it('ships disabled: it moves files only once the user turns it on', async () => {
    const plugin = (
      await call<{ plugins: { name: string; enabled: boolean }[] }>(env.core, 'plugins.list', {})
    ).plugins.find((p) => p.name === 'organize');
    expect(plugin).toMatchObject({ enabled: false });
    const job = await download('left.mp4', 'video/mp4');
    expect(job.result?.path).toBe(join(env.downloadDir, 'left.mp4'));
  });

  it('files downloads by kind, by extension first and content type second; the library follows', async () => {
    await call(env.core, 'plugins.enable', { name: 'organize' });
    const video = await download('film.mkv', 'application/octet-stream');
    const pdf = await download('paper', 'application/pdf');
    const unknown = await download('notes.xyz', 'application/x-unknown');
    expect(video.result?.path).toBe(join(env.downloadDir, 'Video', 'film.mkv'));
    expect(existsSync(join(env.downloadDir, 'Video', 'film.mkv'))).toBe(true);
    expect(env.core.library.get(video.resourceId!).path).toBe(join(env.downloadDir, 'Video', 'film.mkv'));
    expect(pdf.result?.path).toBe(join(env.downloadDir, 'Documents', 'paper'));
    expect(unknown.result?.path).toBe(join(env.downloadDir, 'notes.xyz'));
  });

  it('follows an edited map at once, never overwrites, and leaves files in folders of their own', async () => {
    await call(env.core, 'plugins.enable', { name: 'organize' });
    await call(env.core, 'plugins.updateSettings', {
      name: 'organize',
      values: { map: 'Films: mkv mp4\nImages: png' },
    });
    mkdirSync(join(env.downloadDir, 'Films'));
    writeFileSync(join(env.downloadDir, 'Films', 'a.mkv'), 'older');
    const film = await download('a.mkv', null);
    expect(film.result?.path).toBe(join(env.downloadDir, 'Films', 'a (1).mkv'));
    const custom = join(env.dir, 'elsewhere');
    mkdirSync(custom);
    const kept = await download('b.png', 'image/png', custom);
    expect(kept.result?.path).toBe(join(custom, 'b.png'));
  });
});
