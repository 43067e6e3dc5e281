import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginJob } from '../../../../src-common/contract';
import { call, openPluginCore, waitFor, type PluginCore } from '../test-kit';

let env: PluginCore;
let resourceId: number;
const content = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
const digest = (algorithm: string) => createHash(algorithm).update(content).digest('hex');

beforeAll(async () => {
  env = await openPluginCore({ bundled: true });
  const path = join(env.downloadDir, 'disk.iso');
  writeFileSync(path, content);
  resourceId = env.core.library.add({
    jobId: null,
    path,
    name: 'disk.iso',
    size: content.length,
    contentType: 'application/octet-stream',
    sha256: null,
    sourceUrl: null,
  }).id;
});
afterAll(() => env.close());

async function checksum(params: Record<string, unknown>): Promise<PluginJob> {
  const out = await call<{ kind: 'job'; job: PluginJob }>(env.core, 'actions.run', {
    pluginName: 'checksum',
    actionId: 'checksum',
    resourceId,
    params,
  });
  expect(out.kind).toBe('job');
  return waitFor(() => {
    const job = env.core.jobs.registry.get(out.job.id) as PluginJob;
    return job.status === 'completed' || job.status === 'failed' ? job : undefined;
  });
}

describe('bundled plugin: checksum', () => {
  it('is offered on library items, with its params', async () => {
    const { actions } = await call<{
      actions: { pluginName: string; id: string; async: boolean; params: { name: string }[] }[];
    }>(env.core, 'actions.list', { entityType: 'resource', resourceId });
    const action = actions.find((a) => a.pluginName === 'checksum');
    expect(action).toMatchObject({ id: 'checksum', async: true });
    expect(action!.params.map((p) => p.name)).toEqual(['algorithm', 'compare']);
  });

  it.each(['sha256', 'sha1', 'md5'])('computes %s as a plugin job with progress', async (algorithm) => {
    const job = await checksum({ algorithm });
    expect(job.status).toBe('completed');
    expect(job.result).toMatchObject({ algorithm, digest: digest(algorithm), file: 'disk.iso' });
    expect(job).toMatchObject({ pluginName: 'checksum', entityType: 'resource', entityId: resourceId, progress: 100 });
  });

  it('compares with a pasted value, in sha256sum format too', async () => {
    const job = await checksum({ compare: `${digest('sha256').toUpperCase()}  disk.iso` });
    expect(job.result).toMatchObject({ match: true, message: 'SHA-256 matches' });
  });

  it('fails the job on a mismatch, saying both values', async () => {
    const wrong = 'a'.repeat(32);
    const job = await checksum({ algorithm: 'md5', compare: wrong });
    expect(job.status).toBe('failed');
    expect(job.error?.message).toBe(`MD5 does not match: expected ${wrong}, got ${digest('md5')}`);

    // Retry runs the same action again with the same params (the file may have been replaced).
    await call(env.core, 'jobs.retry', { id: job.id });
    const failures = await waitFor(() => {
      const lines = env.core.jobs.getWithLog(job.id).log.filter((line) => /failed: MD5 does not match/.test(line));
      return lines.length === 2 && env.core.jobs.registry.get(job.id).status === 'failed' ? lines : undefined;
    });
    expect(failures).toHaveLength(2);
    const again = env.core.jobs.registry.get(job.id);
    expect(again.error?.message).toMatch(/^MD5 does not match/);
  });

  it('refuses a param of the wrong type before the plugin runs, naming it', async () => {
    const envelope = await env.core.invoke('actions.run', {
      pluginName: 'checksum',
      actionId: 'checksum',
      resourceId,
      params: { algorithm: 'crc32' },
    });
    expect(envelope).toMatchObject({
      ok: false,
      error: {
        kind: 'invalid_input',
        message: expect.stringMatching(/^params\.algorithm: must be one of sha256, sha1, md5/),
      },
    });
  });
});
