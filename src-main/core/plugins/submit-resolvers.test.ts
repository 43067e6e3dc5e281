import { afterEach, describe, expect, it } from 'vitest';
import type { DownloadJob } from '../../../src-common/contract';
import { call, openPluginCore, type PluginCore } from './test-kit';
import { submitWithResolvers } from './submit-resolvers';

let env: PluginCore | undefined;
afterEach(() => env?.close());

type Submitted = { jobs: DownloadJob[]; invalid: { line: number; message: string }[] };

describe('haul.resolve at submit', () => {
  it('one URL becomes several downloads with their names and headers; a broken resolver costs nothing', async () => {
    env = await openPluginCore({
      plugins: {
        album: {
          manifest: { hosts: ['cdn.example'] },
          code: `export function activate(haul) {
  haul.resolve('https://album.example/*', (url) => [
    { url: url.replace('album', 'cdn') + '/1.jpg', fileName: 'first.jpg', headers: { Referer: url } },
    'https://cdn.example/2.jpg',
  ]);
  haul.resolve(/^https:\\/\\/nothing\\.example\\//, () => null);
}`,
        },
        broken: {
          code: `export function activate(haul) { haul.resolve('https://broken.example/*', () => { throw new Error('nope'); }); }`,
        },
        looping: {
          code: `export function activate(haul) { haul.resolve('https://slow.example/*', () => { while (true) {} }); }`,
        },
      },
    });
    const out = await call<Submitted>(env.core, 'downloads.submit', {
      url: 'https://album.example/trip\nhttps://nothing.example/a.bin\nhttps://broken.example/b.bin\nhttps://slow.example/c.bin',
      headers: { 'X-Mine': '1' },
    });
    expect(out.invalid).toEqual([]);
    const byUrl = Object.fromEntries(out.jobs.map((job) => [job.url, job]));
    expect(Object.keys(byUrl).sort()).toEqual(
      [
        'https://broken.example/b.bin',
        'https://cdn.example/2.jpg',
        'https://cdn.example/trip/1.jpg',
        'https://nothing.example/a.bin',
        'https://slow.example/c.bin',
      ].sort(),
    );
    expect(byUrl['https://cdn.example/trip/1.jpg']).toMatchObject({
      fileName: 'first.jpg',
      options: { headers: { 'X-Mine': '1', Referer: 'https://album.example/trip' } },
    });
    const log = (await call<{ lines: string[] }>(env.core, 'plugins.log', { name: 'broken' })).lines.join('\n');
    expect(log).toMatch(/resolve https:\/\/broken\.example\/b\.bin: Plugin broken failed: Error: nope/);
  });

  it("keeps the submit's credentials from a link on another origin, and on its host in clear text", async () => {
    env = await openPluginCore({
      plugins: {
        elsewhere: {
          manifest: { hosts: ['collect.example'] },
          code: `export function activate(haul) {
  haul.resolve('https://bank.example/*', (url) => [
    'https://collect.example/x.bin',
    url.replace('https:', 'http:'),
    { url: url + '.pdf', headers: { 'X-From': 'plugin' } },
  ]);
}`,
        },
      },
    });
    const out = await call<Submitted>(env.core, 'downloads.submit', {
      url: 'https://bank.example/statement',
      headers: { Cookie: 'session=1', authorization: 'Bearer t', 'Proxy-Authorization': 'Basic p', Referer: 'r' },
    });
    const headersOf = Object.fromEntries(out.jobs.map((job) => [job.url, job.options.headers]));
    expect(headersOf['https://collect.example/x.bin']).toEqual({ Referer: 'r' });
    expect(headersOf['http://bank.example/statement']).toEqual({ Referer: 'r' });
    // Credentials show redacted in what the API answers; they are there.
    expect(headersOf['https://bank.example/statement.pdf']).toEqual({
      Cookie: '[redacted]',
      authorization: '[redacted]',
      'Proxy-Authorization': '[redacted]',
      Referer: 'r',
      'X-From': 'plugin',
    });
  });

  it('an answer that is not a download is refused and the URL goes on unchanged', async () => {
    env = await openPluginCore({
      plugins: { odd: { code: `export function activate(haul) { haul.resolve('*', () => ({ url: 'ftp://x/y' })); }` } },
    });
    const out = await call<Submitted>(env.core, 'downloads.submit', { url: 'https://files.example/z.bin' });
    expect(out.jobs.map((j) => j.url)).toEqual(['https://files.example/z.bin']);
    const log = (await call<{ lines: string[] }>(env.core, 'plugins.log', { name: 'odd' })).lines.join('\n');
    expect(log).toMatch(/the resolver's answer is not usable/);
  });
});

describe('lines refused through resolvers', () => {
  it('keeps each refused line at its own number and says which force would take', async () => {
    env = await openPluginCore({
      plugins: {
        album: {
          manifest: { hosts: ['cdn.example'] },
          code: `export function activate(haul) {
  haul.resolve('https://album.example/*', (url) => [url.replace('album', 'cdn') + '/1.jpg']);
}`,
        },
      },
    });
    const first = await call<Submitted>(env.core, 'downloads.submit', {
      url: 'https://plain.example/a\nhttps://plain.example/b\nhttps://album.example/old',
      paused: true,
    });
    const idOf = (url: string) => first.jobs.find((job) => job.url === url)?.id;
    // Every plain line is refused (a whole inner submit refused), and one resolved link.
    const out = await call<Submitted>(env.core, 'downloads.submit', {
      url: 'https://album.example/new\nhttps://plain.example/a\nnot a link\nhttps://plain.example/b\nhttps://album.example/old',
      paused: true,
    });
    expect(out.jobs.map((job) => job.url)).toEqual(['https://cdn.example/new/1.jpg']);
    expect(out.invalid).toEqual([
      {
        line: 2,
        text: 'https://plain.example/a',
        message: `already in the list as job ${idOf('https://plain.example/a')}`,
        duplicate: true,
      },
      { line: 3, text: 'not a link', message: 'not a URL' },
      {
        line: 4,
        text: 'https://plain.example/b',
        message: `already in the list as job ${idOf('https://plain.example/b')}`,
        duplicate: true,
      },
      {
        line: 5,
        text: 'https://cdn.example/old/1.jpg',
        message: `already in the list as job ${idOf('https://cdn.example/old/1.jpg')}`,
        duplicate: true,
      },
    ]);
  });
});

describe('an idempotent submit through resolvers', () => {
  it('replays the resolved jobs instead of making new ones', async () => {
    env = await openPluginCore({
      plugins: {
        mirror: {
          manifest: { hosts: ['cdn.example'] },
          code: `export function activate(haul) { haul.resolve('https://share.example/*', (url) => url.replace('share.example', 'cdn.example')); }`,
        },
      },
    });
    const input = { url: 'https://share.example/a.bin\nhttps://share.example/b.bin', idempotencyKey: 'once' };
    const first = await call<Submitted>(env.core, 'downloads.submit', input);
    expect(first.jobs.map((j) => j.url)).toEqual(['https://cdn.example/a.bin', 'https://cdn.example/b.bin']);
    const again = await call<Submitted>(env.core, 'downloads.submit', input);
    expect(again.jobs.map((j) => j.id)).toEqual(first.jobs.map((j) => j.id));
    expect(env.core.jobs.registry.snapshot().jobs).toHaveLength(2);
  });
});

describe('submitWithResolvers', () => {
  type Input = Parameters<typeof submitWithResolvers>[0];
  const output = { jobs: [], invalid: [] };

  it('asks no resolver about a URL no pattern may take, and passes the submit through as it came', async () => {
    const asked: string[] = [];
    const submitted: Input[] = [];
    const input: Input = { url: 'https://a.example/1\nhttps://b.example/2' };
    const out = await submitWithResolvers(
      input,
      (url) => {
        asked.push(url);
        return Promise.resolve(undefined);
      },
      (next) => {
        submitted.push(next);
        return output;
      },
      (url) => url.startsWith('https://b.example/'),
    );
    expect(out).toBe(output);
    expect(asked).toEqual(['https://b.example/2']);
    expect(submitted).toEqual([input]);

    asked.length = 0;
    submitted.length = 0;
    await submitWithResolvers(
      input,
      (url) => Promise.resolve(void asked.push(url)),
      (next) => (submitted.push(next), output),
      () => false,
    );
    expect(asked).toEqual([]);
    expect(submitted[0]).toBe(input);
  });
});
