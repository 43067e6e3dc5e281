/**
 * What Haul refuses where aria2 would go along: files outside the download folder,
 * pages from other origins, other host names, JSONP. Each refusal is an aria2-shaped
 * error and leaves no job and no file behind.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { DownloadJob } from '../../../src-common/contract';
import { raw } from '../test-support';
import { toErrorBody } from './errors';
import { answer, startHaul, type Target } from './test-targets';

const secret = 'refusals-secret';
let haul: Target;

beforeAll(async () => {
  haul = await startHaul(secret);
}, 30_000);
afterAll(async () => {
  await haul?.close();
});

async function jobCount(): Promise<number> {
  const answer = await haul.core!.invoke('jobs.list', {});
  return answer.ok ? (answer.value as { total: number }).total : -1;
}

const post = (body: unknown, headers: Record<string, string> = {}) => {
  const text = JSON.stringify(body);
  return raw(haul.port, '/jsonrpc', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers },
    body: text,
  });
};

describe('hostile out and dir', () => {
  const url = 'http://127.0.0.1:9/file.bin';
  const hostile: [string, Record<string, string>][] = [
    ['out with a way up', { out: '../../.bashrc' }],
    ['out with a folder', { out: 'sub/evil.sh' }],
    ['out as an absolute path', { out: '/etc/cron.d/evil' }],
    ['out with a backslash', { out: '..\\..\\evil.bat' }],
    ['dir outside the download folder', { dir: '/etc' }],
    ['dir climbing out', { dir: '../../..' }],
    ['dir with a NUL', { dir: 'a\u0000b' }],
    ['a connection header', { header: 'Host: evil.example' }],
  ];

  for (const [name, options] of hostile) {
    it(`refuses ${name} with an aria2 error, adding nothing`, async () => {
      const before = await jobCount();
      const result = (await answer(haul.rpc.call('addUri', [url], { ...options, pause: 'true' }))) as {
        error: { code: number; message: string };
      };
      expect(result.error.code).toBe(1);
      const option = Object.keys(options)[0]!;
      if (option !== 'header') expect(result.error.message).toContain(`'--${option}'`);
      expect(await jobCount()).toBe(before);
    });
  }

  it('refuses a position that is not a number before adding anything', async () => {
    const before = await jobCount();
    const result = await answer(haul.rpc.call('addUri', [url], { pause: 'true' }, 'first'));
    expect(result).toEqual({ error: { code: 1, message: 'The parameter at 2 has wrong type.' } });
    expect(await jobCount()).toBe(before);
  });

  it('takes a dir below the download folder, relative or absolute', async () => {
    const relative = (await haul.rpc.call('addUri', [url], { dir: 'music', pause: 'true' })) as string;
    const absolute = (await haul.rpc.call('addUri', [url], {
      dir: join(haul.downloadDir, 'video'),
      pause: 'true',
    })) as string;
    const dirs = await Promise.all([relative, absolute].map((gid) => haul.rpc.call('tellStatus', gid, ['dir'])));
    expect(dirs).toEqual([{ dir: join(haul.downloadDir, 'music') }, { dir: join(haul.downloadDir, 'video') }]);
    await haul.rpc.call('remove', relative);
    await haul.rpc.call('remove', absolute);
    await haul.rpc.call('purgeDownloadResult');
    expect(await jobCount()).toBe(0);
  });
});

describe('hosts, origins and JSONP', () => {
  const getVersion = { jsonrpc: '2.0', id: 1, method: 'aria2.getVersion', params: [`token:${secret}`] };

  it('refuses another Host name (DNS rebinding) and a page from another origin', async () => {
    const rebound = await post(getVersion, { Host: `evil.example:${haul.port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.json()).toMatchObject({ id: null, jsonrpc: '2.0', error: { code: 1 } });
    const page = await post(getVersion, { Origin: 'https://evil.example' });
    expect(page.status).toBe(403);
    expect(page.json().error.message).toMatch(/Origin not allowed/);
    expect((await post(getVersion, { Host: `localhost:${haul.port}` })).status).toBe(200);
  });

  it('lets a web UI in once its origin is allowed in the settings, preflight included', async () => {
    const origin = 'http://webui.localhost:8080';
    await haul.core!.invoke('settings.update', { aria2AllowedOrigins: [origin] });
    const preflight = await raw(haul.port, '/jsonrpc', {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(origin);
    const call = await post(getVersion, { Origin: origin });
    expect(call.status).toBe(200);
    expect(call.headers['access-control-allow-origin']).toBe(origin);
    await haul.core!.invoke('settings.update', { aria2AllowedOrigins: [] });
    expect((await post(getVersion, { Origin: origin })).status).toBe(403);
  });

  it('refuses JSONP, which would let any page read answers through a script tag', async () => {
    const params = encodeURIComponent(Buffer.from(JSON.stringify([`token:${secret}`])).toString('base64'));
    const response = await raw(haul.port, `/jsonrpc?method=aria2.getVersion&id=1&params=${params}&jsoncallback=cb`);
    expect(response.status).toBe(400);
    expect(response.body.startsWith('cb(')).toBe(false);
  });

  it("refuses what a page's image, script or link asks without an Origin, however it is asked", async () => {
    const params = encodeURIComponent(Buffer.from(JSON.stringify([`token:${secret}`])).toString('base64'));
    const path = `/jsonrpc?method=aria2.getVersion&id=1&params=${params}`;
    for (const mode of ['no-cors', 'navigate']) {
      const blind = await raw(haul.port, path, { headers: { 'Sec-Fetch-Mode': mode } });
      expect(blind.status).toBe(403);
      expect(blind.body).not.toContain('version');
      expect((await post(getVersion, { 'Sec-Fetch-Mode': mode })).status).toBe(403);
    }
    // Clients that send no Sec-Fetch-Mode, and a web UI's fetch, are answered.
    expect((await raw(haul.port, path)).status).toBe(200);
    expect((await post(getVersion, { 'Sec-Fetch-Mode': 'cors' })).status).toBe(200);
  });

  it('refuses a WebSocket from another origin', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${haul.port}/jsonrpc`, { origin: 'https://evil.example' });
    const status = await new Promise<number>((resolve) => {
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => resolve(101));
      socket.on('error', () => resolve(-1));
    });
    socket.terminate();
    expect(status).toBe(403);
  });
});

describe('one job for every client', () => {
  it('a download added in Haul’s own UI is announced to aria2 clients and listed', async () => {
    const submitted = await haul.core!.invoke('downloads.submit', { url: 'http://127.0.0.1:9/from-ui.bin' });
    expect(submitted.ok).toBe(true);
    const job = (submitted as { value: { jobs: DownloadJob[] } }).value.jobs[0]!;
    const gid = haul.core!.gids.gidOf(job.id);
    // Nothing listens on port 9: it starts, then fails with a network error.
    for (let round = 0; round < 1000; round += 1) {
      if (haul.notifications.some((n) => n.gid === gid && n.method === 'aria2.onDownloadError')) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(haul.notifications.filter((n) => n.gid === gid).map((n) => n.method)).toEqual([
      'aria2.onDownloadStart',
      'aria2.onDownloadError',
    ]);
    const status = (await haul.rpc.call('tellStatus', gid, ['status', 'errorCode'])) as Record<string, string>;
    expect(status).toEqual({ status: 'error', errorCode: '6' });
  });
});

describe('a full disk under the database', () => {
  it("is answered in aria2's shape with the core's words, not SQLite's", () => {
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    expect(toErrorBody(full)).toEqual({
      code: 1,
      message: 'Haul could not save to its database: the disk that holds it is full. Free some space and try again.',
    });
  });

  it('a damaged page likewise, with what to do', () => {
    const damaged = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
    expect(toErrorBody(damaged)).toEqual({
      code: 1,
      message: expect.stringMatching(/^Part of Haul's database is damaged, so this could not be read\. Restart Haul/),
    });
  });
});
