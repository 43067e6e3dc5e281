import { connect, createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../core/app';
import { tempDir } from '../../test/temp-dir';
import { eventually, heldRunner, raw } from '../test-support';
import { startAria2Endpoint, type Aria2Endpoint } from './endpoint';
import { freePort } from './test-targets';

let dir: ReturnType<typeof tempDir>;
let core: Core;
let endpoint: Aria2Endpoint | undefined;
const errors: string[] = [];

beforeEach(() => {
  dir = tempDir();
  core = createCore({
    dataDir: dir.path,
    downloadDir: dir.path,
    runtime: 'headless',
    version: '1.0.0',
    downloadRunner: heldRunner,
  });
  errors.length = 0;
});
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
  await core.close();
  dir.remove();
});

function start(): Aria2Endpoint {
  endpoint = startAria2Endpoint({ core, wrongSecretDelayMs: 0, onError: (message) => errors.push(message) });
  return endpoint;
}

async function version(port: number, secret: string): Promise<number> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'aria2.getVersion', params: [`token:${secret}`] });
  const response = await raw(port, '/jsonrpc', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length) },
    body,
  });
  return response.status;
}

/** True when nothing listens on the port any more (a fresh TCP connection is refused). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

async function call(port: number, method: string, params: unknown[]): Promise<{ result?: unknown; error?: unknown }> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: ['token:keep', ...params] });
  const response = await raw(port, '/jsonrpc', {
    method: 'POST',
    // No kept-alive socket: the restarted endpoint listens on the same port.
    headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length), Connection: 'close' },
    body,
  });
  return response.json();
}

const portOf = (e: Aria2Endpoint) => Number(new URL(e.url()!).port);

describe('the aria2 endpoint follows its settings', () => {
  it('is off by default, on aria2’s port, with a random secret of its own', async () => {
    const e = start();
    await e.ready;
    expect(e.url()).toBeUndefined();
    expect(core.settings.get()).toMatchObject({ aria2Enabled: false, aria2Port: 6800 });
    expect(core.settings.get().aria2Secret).toMatch(/^[0-9a-f]{32}$/);
    expect(core.settings.get().aria2Secret).not.toBe(core.apiToken());
  });

  it('starts when switched on and stops when switched off', async () => {
    const port = await freePort();
    const e = start();
    await e.ready;
    await core.invoke('settings.update', { aria2Port: port, aria2Enabled: true });
    await eventually(() => e.url() !== undefined, 'the endpoint to start');
    expect(e.url()).toBe(`http://127.0.0.1:${port}/jsonrpc`);
    const secret = core.settings.get().aria2Secret;
    expect(secret).toMatch(/^[0-9a-f]{32}$/);
    expect(await version(port, secret)).toBe(200);
    expect(await version(port, 'guess')).toBe(400);

    await core.invoke('settings.update', { aria2Enabled: false });
    await eventually(() => e.url() === undefined, 'the endpoint to stop');
    expect(await refused(port)).toBe(true);
  });

  it('takes a changed secret at once, and makes a fresh one when it is emptied', async () => {
    await core.invoke('settings.update', { aria2Enabled: true, aria2Port: await freePort(), aria2Secret: 'first' });
    const e = start();
    await e.ready;
    const port = portOf(e);
    await core.invoke('settings.update', { aria2Secret: 'second' });
    expect(await version(port, 'first')).toBe(400);
    expect(await version(port, 'second')).toBe(200);
    const emptied = await core.invoke('settings.update', { aria2Secret: '' });
    const fresh = (emptied as { value: { aria2Secret: string } }).value.aria2Secret;
    expect(fresh).toMatch(/^[0-9a-f]{32}$/);
    expect(await version(port, fresh)).toBe(200);
    expect(await version(port, '')).toBe(400);
    expect(await version(port, 'second')).toBe(400);
  });

  it('moves to a new port without a restart of Haul', async () => {
    await core.invoke('settings.update', { aria2Enabled: true, aria2Port: await freePort(), aria2Secret: 's3' });
    const e = start();
    await e.ready;
    const before = portOf(e);
    const next = await freePort();
    await core.invoke('settings.update', { aria2Port: next });
    await eventually(() => e.url() !== undefined && portOf(e) === next, 'the new port');
    expect(await version(next, 's3')).toBe(200);
    expect(await refused(before)).toBe(true);
  });

  it('keeps a download’s GID across a restart of Haul', async () => {
    await core.invoke('settings.update', { aria2Enabled: true, aria2Port: await freePort(), aria2Secret: 'keep' });
    let e = start();
    await e.ready;
    const added = await call(portOf(e), 'aria2.addUri', [['https://files.example/big.iso'], { pause: 'true' }]);
    const gid = added.result as string;
    expect(gid).toMatch(/^[0-9a-f]{16}$/);
    await e.close();
    await core.close();

    core = createCore({ dataDir: dir.path, downloadDir: dir.path, runtime: 'headless', version: '1.0.0' });
    e = start();
    await e.ready;
    const status = await call(portOf(e), 'aria2.tellStatus', [gid.slice(0, 6), ['gid', 'status', 'files']]);
    expect(status.result).toMatchObject({
      gid,
      status: 'paused',
      files: [{ uris: [{ uri: 'https://files.example/big.iso', status: 'waiting' }] }],
    });
  });

  it('says so when its port is taken, and Haul goes on', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    await core.invoke('settings.update', { aria2Enabled: true, aria2Port: taken });
    const e = start();
    await e.ready;
    expect(e.url()).toBeUndefined();
    expect(errors).toEqual([expect.stringContaining(`port ${taken} is in use`)]);
    expect((await core.invoke('jobs.queues', {})).ok).toBe(true);
    await new Promise((resolve) => blocker.close(resolve));
  });
});
