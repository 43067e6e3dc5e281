import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { DownloadJob } from '../../src-common/contract';
import type { Core, CoreParts } from './app';
import { TestServer } from './downloads/test-server';
import { networkCore } from '../test/core-kit';
import { tempDir } from '../test/temp-dir';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const server = TestServer.forFile();

let dir: ReturnType<typeof tempDir>;
let core: Core & CoreParts;
beforeEach(() => {
  dir = tempDir();
  core = networkCore(dir.path);
});
afterEach(async () => {
  await core.close();
  dir.remove();
});

async function download(path: string): Promise<DownloadJob> {
  const submitted = await core.invoke('downloads.submit', { url: server.url(path) });
  if (!submitted.ok) throw new Error(submitted.error.message);
  const id = (submitted.value as { jobs: DownloadJob[] }).jobs[0]!.id;
  for (let i = 0; i < 500; i += 1) {
    const job = core.jobs.registry.get(id) as DownloadJob;
    if (job.status === 'completed' || job.status === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${path} did not finish`);
}

it('a finished download has no SHA-256 unless the setting asks for one, and its bytes are right either way', async () => {
  // A small answer (held in memory) and a larger one (written as it comes).
  const small = randomBytes(20 * 1024);
  const large = randomBytes(600 * 1024);
  for (const [name, body] of [
    ['small', small],
    ['large', large],
  ] as const) {
    server.file(`/${name}-off.bin`, body);
    server.file(`/${name}-on.bin`, body);
  }
  expect(core.settings.get().fingerprintDownloads).toBe(false);
  for (const [name, body] of [
    ['small', small],
    ['large', large],
  ] as const) {
    const job = await download(`/${name}-off.bin`);
    expect(job).toMatchObject({ status: 'completed', result: { sha256: null } });
    expect(sha256(readFileSync(core.library.get(job.resourceId!).path))).toBe(sha256(body));
    const resource = core.library.get(job.resourceId!);
    expect(resource.sha256).toBeNull();
  }

  expect(await core.invoke('settings.update', { fingerprintDownloads: true })).toMatchObject({ ok: true });
  for (const [name, body] of [
    ['small', small],
    ['large', large],
  ] as const) {
    const job = await download(`/${name}-on.bin`);
    expect(job).toMatchObject({ status: 'completed', result: { sha256: sha256(body) } });
    expect(core.library.get(job.resourceId!).sha256).toBe(sha256(body));
  }
});
