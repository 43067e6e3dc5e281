import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventually, quickRunner, startTestApi, type TestApi } from './test-support';

let api: TestApi | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await api?.close();
  api = undefined;
});

interface Opened {
  ws: WebSocket;
  messages: { type: string; job: Record<string, unknown> }[];
  closed: { code: number } | undefined;
}

/** Opens the job socket and records every message; resolves once open. */
function open(port: number, headers: Record<string, string>, query = ''): Promise<Opened> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/jobs/ws${query}`, { headers });
  sockets.push(ws);
  const opened: Opened = { ws, messages: [], closed: undefined };
  ws.on('message', (data) => opened.messages.push(JSON.parse(String(data))));
  ws.on('close', (code) => (opened.closed = { code }));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(opened));
    ws.once('error', reject);
  });
}

/** The status and body of a refused upgrade. */
function refusal(
  port: number,
  headers: Record<string, string>,
  query = '',
): Promise<{ status: number; body: { error: Record<string, unknown> } }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/jobs/ws${query}`, { headers });
  sockets.push(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => reject(new Error('the socket opened')));
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    ws.once('error', () => undefined);
  });
}

describe('GET /v1/jobs/ws (job-queue API WebSocket)', () => {
  it('sends job_update for every job on connect and for each change, with jobId and name', async () => {
    api = await startTestApi({ runner: quickRunner });
    const before = (await api.call('POST', '/v1/jobs/download/submit', { url: 'https://example.com/first.bin' })).json()
      .jobs[0];
    await eventually(
      async () => (await api!.call('GET', `/v1/jobs/${before.id}`)).json().status === 'completed',
      'the first download to complete',
    );
    const socket = await open(api.server.port, { Authorization: `Bearer ${api.token}` });
    await eventually(() => socket.messages.some((m) => m.job.id === before.id), 'the existing job');
    expect(socket.messages[0]).toMatchObject({
      type: 'job_update',
      job: { id: before.id, jobId: before.id, name: `${before.id}.bin`, status: 'completed', progress: 100 },
    });

    const added = (await api.call('POST', '/v1/jobs/download/submit', { url: 'https://example.com/second.bin' })).json()
      .jobs[0];
    await eventually(
      () => socket.messages.some((m) => m.job.id === added.id && m.job.status === 'completed'),
      'the second download to complete over the socket',
    );
    const updates = socket.messages.filter((m) => m.job.jobId === added.id);
    expect(updates.every((m) => m.type === 'job_update')).toBe(true);
    expect(updates[0]!.job.name).toBe('https://example.com/second.bin');
  });

  it('checks Host, Origin and the token like the SSE stream, and takes a ticket once', async () => {
    api = await startTestApi();
    const { port } = api.server;
    const bearer = { Authorization: `Bearer ${api.token}` };
    expect(await refusal(port, {})).toMatchObject({ status: 401, body: { error: { kind: 'unauthorized' } } });
    expect((await refusal(port, { Authorization: 'Bearer wrong' })).status).toBe(403);
    expect((await refusal(port, { ...bearer, Host: 'evil.example' })).status).toBe(421);
    const origin = await refusal(port, { ...bearer, Origin: 'https://evil.example' });
    expect(origin).toMatchObject({ status: 403, body: { error: { message: expect.stringContaining('Origin') } } });

    const { ticket, wsUrl } = (await api.call('POST', '/v1/auth/ticket')).json();
    expect(wsUrl).toBe(`/v1/jobs/ws?ticket=${ticket}`);
    await open(port, {}, `?ticket=${ticket}`);
    expect((await refusal(port, {}, `?ticket=${ticket}`)).status).toBe(403);
    const other = new WebSocket(`ws://127.0.0.1:${port}/v1/jobs/nope`, { headers: bearer });
    sockets.push(other);
    const status = await new Promise<number>((resolve) => {
      other.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      other.once('error', () => undefined);
    });
    expect(status).toBe(404);
  });

  it('counts a socket opened with a ticket against the limit of open sockets', async () => {
    api = await startTestApi();
    const { port } = api.server;
    const bearer = { Authorization: `Bearer ${api.token}` };
    const limit = 64;
    for (let k = 0; k < limit; k += 1) await open(port, bearer);
    expect(await refusal(port, bearer)).toMatchObject({ status: 503, body: { error: { kind: 'unavailable' } } });
    const { ticket } = (await api.call('POST', '/v1/auth/ticket')).json();
    expect(await refusal(port, {}, `?ticket=${ticket}`)).toMatchObject({ status: 503 });
    sockets[0]?.close();
    const ticketOpens = async () => {
      const { ticket: next } = (await api!.call('POST', '/v1/auth/ticket')).json();
      return open(port, {}, `?ticket=${next}`).then(
        () => true,
        () => false,
      );
    };
    await eventually(ticketOpens, 'a ticket to open a socket once one closed', 100);
  });
});
