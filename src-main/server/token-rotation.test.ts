import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test/temp-dir';
import { createCore, type Core } from '../core/app';
import { startServer, type RunningServer } from './http';
import WebSocket from 'ws';
import { eventually, heldRunner, raw, SseReader } from './test-support';

let core: Core | undefined;
let server: RunningServer | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await server?.close();
  await core?.close();
  dir?.remove();
});

async function start(tokenCheckMs?: number): Promise<{ core: Core; server: RunningServer }> {
  dir = tempDir();
  core = createCore({
    dataDir: dir.path,
    downloadDir: dir.path,
    runtime: 'headless',
    version: '1.0.0',
    downloadRunner: heldRunner,
  });
  const current = core;
  server = await startServer({
    core: current,
    token: () => current.apiToken(),
    port: 0,
    events: { heartbeatMs: 20, ...(tokenCheckMs ? { tokenCheckMs } : {}) },
  });
  return { core: current, server };
}

const post = (port: number, path: string, token: string, body: unknown = {}) =>
  raw(port, path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('regenerating the API token', () => {
  it('through the API closes the old token’s event streams and voids its tickets at once', async () => {
    const { core, server } = await start(60_000);
    const old = core.apiToken();
    const ticket = async () => (await post(server.port, '/v1/auth/ticket', old)).json().ticket as string;
    const byHeader = new SseReader(server.port, '/v1/jobs/events', { Authorization: `Bearer ${old}` });
    const byTicket = new SseReader(server.port, `/v1/jobs/events?ticket=${await ticket()}`, {});
    await eventually(() => byHeader.events.length > 0 && byTicket.events.length > 0, 'both streams to start');
    const unused = await ticket();

    const rotated = (await post(server.port, '/v1/rpc/api.regenerateToken', old)).json().value.token as string;
    expect(rotated).not.toBe(old);
    await eventually(() => byHeader.ended && byTicket.ended, 'the old streams to end');
    const late = new SseReader(server.port, `/v1/jobs/events?ticket=${unused}`, {});
    expect((await late.ready).statusCode).toBe(403);
    late.close();
    expect((await post(server.port, '/v1/auth/ticket', old)).status).toBe(403);
    // The new token works as before, and its stream stays open.
    const fresh = new SseReader(server.port, '/v1/jobs/events', { Authorization: `Bearer ${rotated}` });
    await eventually(() => fresh.comments > 2, 'heartbeats on the new token');
    expect(fresh.ended).toBe(false);
    fresh.close();
  });

  it('from the desktop app (not through the API) ends the old streams too', async () => {
    const { core, server } = await start(20);
    const stream = new SseReader(server.port, '/v1/jobs/events', { Authorization: `Bearer ${core.apiToken()}` });
    await eventually(() => stream.events.length > 0, 'init');
    const answer = await core.invoke('api.regenerateToken', {});
    expect(answer.ok).toBe(true);
    await eventually(() => stream.ended, 'the old stream to end');
  });

  it('closes the job WebSockets of the old token, whoever regenerated it', async () => {
    const { core, server } = await start(20);
    const closed: number[] = [];
    const open = async (token: string) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/v1/jobs/ws`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      ws.on('close', (code) => closed.push(code));
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      return ws;
    };
    await open(core.apiToken());
    const rotated = (await post(server.port, '/v1/rpc/api.regenerateToken', core.apiToken())).json().value.token;
    await eventually(() => closed.length === 1, 'the socket of the old token to close');
    expect(closed[0]).toBe(1008);
    const kept = await open(rotated);
    expect((await core.invoke('api.regenerateToken', {})).ok).toBe(true);
    await eventually(() => closed.length === 2, 'the socket to close after a change made in the desktop app');
    kept.terminate();
  });
});
