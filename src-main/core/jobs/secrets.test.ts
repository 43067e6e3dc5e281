import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DownloadJob } from '../../../src-common/contract';
import { scriptedEngine } from '../../test/job-kit';
import { tempDir } from '../../test/temp-dir';
import { createCore, type Core } from '../app';
import { redactText, redactUrl } from './secrets';

let dir: ReturnType<typeof tempDir> | undefined;
let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
  dir?.remove();
});

describe('secrets of a download', () => {
  it('stay out of the event stream, command answers and log lines; the engine gets the real ones', async () => {
    dir = tempDir();
    const engine = scriptedEngine();
    core = createCore({
      dataDir: dir.path,
      downloadDir: join(dir.path, 'dl'),
      runtime: 'headless',
      version: '1.0.0',
      downloadRunner: engine.runner,
      jobs: { throttleMs: { download: 0, plugin: 0 } },
    });
    const events = core.events.subscribe();
    const streamed: string[] = [JSON.stringify(events.poll())];
    const out = await core.invoke('downloads.submit', {
      url: 'https://alice:hunter2@files.example/a.bin',
      headers: { Cookie: 'sid=s3cr3t', Authorization: 'Bearer t0k3n', Referer: 'https://files.example/' },
    });
    expect(out.ok).toBe(true);
    const job = (out as { value: { jobs: DownloadJob[] } }).value.jobs[0]!;
    const attempt = engine.attempts[0]!;
    expect(attempt.context.job.url).toBe('https://alice:hunter2@files.example/a.bin');
    expect(attempt.context.job.options.headers).toMatchObject({ Cookie: 'sid=s3cr3t', Authorization: 'Bearer t0k3n' });
    attempt.context.log('Redirected from https://alice:hunter2@files.example/a.bin');
    attempt.fail(new Error('boom at https://alice:hunter2@files.example/a.bin'));
    for (let i = 0; i < 200 && core.events.snapshot().jobs[0]?.status === 'downloading'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(core.events.snapshot().jobs[0]?.error?.message).toMatch(/boom at https:\/\/\[redacted\]@files/);

    const seen: string[] = [JSON.stringify(out)];
    for (const command of ['jobs.get', 'jobs.list', 'jobs.snapshot'] as const) {
      seen.push(JSON.stringify(await core.invoke(command, command === 'jobs.get' ? { id: job.id } : {})));
    }
    seen.push(JSON.stringify(core.events.snapshot()));
    for (let event = events.poll(); event; event = events.poll()) streamed.push(JSON.stringify(event));
    expect(streamed.join('\n')).toMatch(/"event":"init"[\s\S]*"event":"added"[\s\S]*"event":"updated"/);
    seen.push(...streamed);
    events.close();
    const all = seen.join('\n');
    expect(all).toContain('files.example/a.bin');
    expect(all).toContain('Redirected from');
    expect(all).toContain('https://files.example/');
    for (const secret of ['hunter2', 'alice', 's3cr3t', 't0k3n']) expect(all).not.toContain(secret);
  });

  it('redacts user:pass@ in URLs and in free text', () => {
    expect(redactUrl('https://u:p@h.example/x?y=1')).toBe('https://[redacted]@h.example/x?y=1');
    expect(redactUrl('https://h.example/x')).toBe('https://h.example/x');
    expect(redactText('GET http://u:p@h.example/ and ftp://x@y/')).toBe(
      'GET http://[redacted]@h.example/ and ftp://[redacted]@y/',
    );
  });
});
