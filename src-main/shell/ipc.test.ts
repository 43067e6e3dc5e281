import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invokeChannel } from '../../src-common/contract';
import { tempDir } from '../test/temp-dir';
import { createCore, type Core } from '../core/app';
import { jobEventChannels } from '../../src-common/contract';
import { registerInvokeHandler, registerIpc } from './ipc';

type Handler = (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => Promise<unknown>;

/** Stands in for ipcMain: records the one handler the shell registers. */
function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: (channel: string, handler: Handler) => void handlers.set(channel, handler),
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
}

const rendererDir = '/opt/haul/out/renderer';
const ownPage = pathToFileURL(join(rendererDir, 'index.html')).href;
let dir: ReturnType<typeof tempDir>;
let core: Core;

beforeEach(() => {
  dir = tempDir();
  core = createCore({ dataDir: dir.path, downloadDir: dir.path, runtime: 'electron', version: '1.0.0' });
});
afterEach(async () => {
  await core.close();
  dir.remove();
});

describe('IPC handler registry', () => {
  it('runs a command from our own page', async () => {
    const ipc = fakeIpcMain();
    registerInvokeHandler(ipc as never, core, { rendererDir });
    const result = await ipc.handlers.get(invokeChannel)!({ senderFrame: { url: ownPage } }, 'app.info', {});
    expect(result).toMatchObject({ ok: true, value: { runtime: 'electron' } });
  });

  it.each([
    ['a web page', 'https://evil.example/'],
    ['another local file', 'file:///tmp/evil.html'],
    ['a sibling folder with a shared prefix', 'file:///opt/haul/out/renderer-evil/index.html'],
    ['a data URL', 'data:text/html,hi'],
  ])('refuses a frame from %s', async (_label, url) => {
    const ipc = fakeIpcMain();
    registerInvokeHandler(ipc as never, core, { rendererDir });
    const result = await ipc.handlers.get(invokeChannel)!({ senderFrame: { url } }, 'app.info', {});
    expect(result).toEqual({ ok: false, error: { kind: 'forbidden', message: 'This page may not call Haul.' } });
  });

  it('refuses a destroyed frame', async () => {
    const ipc = fakeIpcMain();
    registerInvokeHandler(ipc as never, core, { rendererDir });
    const result = await ipc.handlers.get(invokeChannel)!({ senderFrame: null }, 'app.info', {});
    expect(result).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
  });

  it('refuses malformed input with invalid_input naming the field', async () => {
    const ipc = fakeIpcMain();
    registerInvokeHandler(ipc as never, core, { rendererDir });
    const result = await ipc.handlers.get(invokeChannel)!({ senderFrame: { url: ownPage } }, 'app.info', { bogus: 1 });
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'invalid_input', message: expect.stringContaining('bogus') },
    });
  });

  it('accepts the dev server origin only while developing', async () => {
    const ipc = fakeIpcMain();
    registerInvokeHandler(ipc as never, core, { rendererDir, devServerUrl: 'http://localhost:5173' });
    const ok = await ipc.handlers.get(invokeChannel)!(
      { senderFrame: { url: 'http://localhost:5173/' } },
      'app.info',
      {},
    );
    expect(ok).toMatchObject({ ok: true });
    const other = await ipc.handlers.get(invokeChannel)!(
      { senderFrame: { url: 'http://localhost:5174/' } },
      'app.info',
      {},
    );
    expect(other).toMatchObject({ ok: false });
  });

  it('keeps the kind of an error from the core', async () => {
    const ipc = fakeIpcMain();
    registerInvokeHandler(ipc as never, core, { rendererDir });
    const call = (name: string, input: unknown) =>
      ipc.handlers.get(invokeChannel)!({ senderFrame: { url: ownPage } }, name, input);
    expect(await call('jobs.get', { id: '0badf00d' })).toMatchObject({ ok: false, error: { kind: 'not_found' } });
    const submitted = (await call('downloads.submit', { url: 'https://example.com/x', paused: true })) as {
      value: { jobs: { id: string }[] };
    };
    const id = submitted.value.jobs[0]!.id;
    expect(await call('jobs.resume', { id })).toMatchObject({ ok: true });
    expect(await call('jobs.resume', { id })).toMatchObject({ ok: false, error: { kind: 'conflict' } });
    expect(await call('no.such.command', {})).toMatchObject({ ok: false, error: { kind: 'not_found' } });
  });

  it('registers the commands and the event stream together, and removes both', async () => {
    const ipc = Object.assign(new EventEmitter(), fakeIpcMain());
    const stop = registerIpc(ipc as never, core, { rendererDir });
    expect(ipc.handlers.has(invokeChannel)).toBe(true);
    expect(ipc.listenerCount(jobEventChannels.subscribe)).toBe(1);
    stop();
    expect(ipc.handlers.has(invokeChannel)).toBe(false);
    expect(ipc.listenerCount(jobEventChannels.subscribe)).toBe(0);
  });
});
