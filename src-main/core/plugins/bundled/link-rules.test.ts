import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DownloadJob } from '../../../../src-common/contract';
import { call, openPluginCore, waitFor, type PluginCore } from '../test-kit';

let env: PluginCore;
beforeEach(async () => {
  env = await openPluginCore({ bundled: true });
});
afterEach(() => env.close());

type Submitted = { jobs: DownloadJob[]; invalid: { line: number; message: string }[] };

describe('bundled plugin: link-rules', () => {
  it('turns GitHub file pages and Dropbox share links into direct downloads at submit', async () => {
    const out = await call<Submitted>(env.core, 'downloads.submit', {
      url: [
        'https://github.com/owner/repo/blob/main/dist/tool.tar.gz',
        'https://www.dropbox.com/s/abc123/report.pdf?dl=0',
        'https://files.example/untouched.bin',
      ].join('\n'),
    });
    expect(out.jobs.map((j) => j.url).sort()).toEqual(
      [
        'https://files.example/untouched.bin',
        'https://raw.githubusercontent.com/owner/repo/main/dist/tool.tar.gz',
        'https://www.dropbox.com/s/abc123/report.pdf?dl=1',
      ].sort(),
    );
    expect(out.invalid).toEqual([]);
  });

  it('applies the user’s own rules with headers, right after the settings change', async () => {
    await call(env.core, 'plugins.updateSettings', {
      name: 'link-rules',
      values: {
        rules:
          '# mine\n^https://share\\.example/v/(\\w+)$ => https://share.example/raw/$1.mp4 || Referer: https://share.example/ || X-Source: t1\n(broken => x',
      },
    });
    const out = await call<Submitted>(env.core, 'downloads.submit', { url: 'https://share.example/v/abc' });
    expect(out.jobs).toHaveLength(1);
    expect(out.jobs[0]).toMatchObject({
      url: 'https://share.example/raw/abc.mp4',
      options: { headers: { Referer: 'https://share.example/', 'X-Source': 't1' } },
    });
    const { lines } = await call<{ lines: string[] }>(env.core, 'plugins.log', { name: 'link-rules' });
    expect(lines.join('\n')).toMatch(/rule on line 3 is not a valid pattern/);
  });

  it('a duplicate of a resolved URL is reported on the user’s line, the rest still goes', async () => {
    await call(env.core, 'downloads.submit', { url: 'https://raw.githubusercontent.com/o/r/main/a.txt' });
    const out = await call<Submitted>(env.core, 'downloads.submit', {
      url: 'https://github.com/o/r/blob/main/a.txt\nhttps://files.example/b.bin',
    });
    expect(out.jobs.map((j) => j.url)).toEqual(['https://files.example/b.bin']);
    expect(out.invalid).toMatchObject([{ line: 1, message: expect.stringMatching(/already in the list/) }]);
  });

  it('a URL no rule matches does not start the plugin; one a rule matches does', async () => {
    await env.close();
    env = await openPluginCore({ bundled: true, limits: { idleMs: 150 } });
    await waitFor(() => !env.core.plugins.isAwake('link-rules'), 'the first worker to go idle');
    const plain = await call<Submitted>(env.core, 'downloads.submit', {
      url: 'https://files.example/a.bin\nhttps://dropbox.com.files.example/b.bin?dl=0',
    });
    expect(plain.jobs.map((j) => j.url)).toEqual([
      'https://files.example/a.bin',
      'https://dropbox.com.files.example/b.bin?dl=0',
    ]);
    expect(env.core.plugins.isAwake('link-rules')).toBe(false);
    const page = await call<Submitted>(env.core, 'downloads.submit', { url: 'HTTPS://GitHub.com/o/r/blob/main/c.txt' });
    expect(page.jobs.map((j) => j.url)).toEqual(['https://raw.githubusercontent.com/o/r/main/c.txt']);
  });

  it('a rule added while the worker runs applies to the very next URL', async () => {
    await call(env.core, 'downloads.submit', { url: 'https://github.com/o/r/blob/main/d.txt' });
    expect(env.core.plugins.isAwake('link-rules')).toBe(true);
    await call(env.core, 'plugins.updateSettings', {
      name: 'link-rules',
      values: { rules: '^https://mirror\\.example/v/(.+)$ => https://mirror.example/raw/$1' },
    });
    const out = await call<Submitted>(env.core, 'downloads.submit', { url: 'https://mirror.example/v/e.iso' });
    expect(out.jobs.map((j) => j.url)).toEqual(['https://mirror.example/raw/e.iso']);
  });
});
