import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClosureRunner } from '../test/closure-runner';
import { TicketStore } from './tickets';
import { eventually, quickRunner, raw, rebuildState, SseReader, startTestApi, type TestApi } from './test-support';

let api: TestApi;
let plugins: ClosureRunner;
let now = 1_000_000;
beforeAll(async () => {
  plugins = new ClosureRunner();
  api = await startTestApi({
    core: { pluginJobRunner: plugins },
    server: { events: { heartbeatMs: 20 }, tickets: new TicketStore({ now: () => now }) },
  });
});
afterAll(() => api.close());

const auth = () => ({ Authorization: `Bearer ${api.token}` });
const open = (path = '/v1/jobs/events', headers: Record<string, string> = auth()) =>
  new SseReader(api.server.port, path, headers);

async function ticket(): Promise<string> {
  return (await api.call('POST', '/v1/auth/ticket')).json().ticket;
}

describe('GET /v1/jobs/events', () => {
  it('starts with init, then event-stream API event names, each with an id', async () => {
    const reader = open();
    const res = await reader.ready;
    expect(res.headers['content-type']).toContain('text/event-stream');
    await eventually(() => reader.events.length === 1, 'init');
    expect(reader.events[0]).toMatchObject({ event: 'init', data: { jobs: expect.any(Array), actionJobs: [] } });
    const { jobs } = (
      await api.call('POST', '/v1/jobs/download/submit', { url: 'https://example.com/sse.bin' })
    ).json();
    const plugin = plugins.queue(
      api.core.jobs,
      { pluginName: 'demo', actionId: 'a', label: 'A', entityType: 'custom' },
      () => new Promise(() => undefined),
    );
    await api.call('POST', '/v1/jobs/cancel', { id: plugin.id });
    await eventually(
      () => reader.events.some((e) => e.event === 'action_updated' && e.data.job.status === 'cancelled'),
      'cancel',
    );
    const names = new Set(reader.events.map((e) => e.event));
    expect([...names]).toEqual(expect.arrayContaining(['init', 'added', 'updated', 'action_added', 'action_updated']));
    expect(reader.events.find((e) => e.event === 'added')!.data).toMatchObject({
      type: 'added',
      job: { id: jobs[0].id },
    });
    const ids = reader.events.slice(1).map((e) => e.id);
    expect(ids.every((id, i) => Number.isInteger(id) && (i === 0 || id === ids[i - 1]! + 1))).toBe(true);
    expect(rebuildState(reader.events).get(jobs[0].id)).toMatchObject({ status: expect.any(String) });
    reader.close();
  });

  it('sends a heartbeat comment', async () => {
    const reader = open();
    await eventually(() => reader.comments > 0, 'a heartbeat');
    reader.close();
  });

  it('can be read with a streaming fetch and the Authorization header, as the browser UI does', async () => {
    const controller = new AbortController();
    const res = await fetch(`${api.server.url}/v1/jobs/events`, { headers: auth(), signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    let text = new TextDecoder().decode(value);
    while (!text.includes('event: init')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
  });

  it('unsubscribes from the hub when the client disconnects', async () => {
    await eventually(() => api.core.jobs.hub.subscriberCount === 0, 'earlier streams to go');
    const reader = open();
    await eventually(() => reader.events.length > 0, 'init');
    expect(api.core.jobs.hub.subscriberCount).toBe(1);
    reader.close();
    await eventually(() => api.core.jobs.hub.subscriberCount === 0, 'the subscription to close');
  });

  it('answers 503 past 64 streams, and frees a slot when one closes', async () => {
    await eventually(() => api.core.jobs.hub.subscriberCount === 0, 'earlier streams to go');
    const readers = Array.from({ length: 64 }, () => open());
    await Promise.all(readers.map((r) => r.ready));
    expect(readers.every((r) => r.status === 200)).toBe(true);
    const refused = await raw(api.server.port, '/v1/jobs/events', { headers: auth() });
    expect(refused.status).toBe(503);
    expect(refused.json().error.kind).toBe('unavailable');
    readers.pop()!.close();
    await eventually(() => api.core.jobs.hub.subscriberCount === 63, 'a slot to free');
    const again = open();
    await again.ready;
    expect(again.status).toBe(200);
    for (const reader of [...readers, again]) reader.close();
  });
});

describe('tickets for EventSource clients', () => {
  it('opens the stream once with a ticket and refuses it the second time', async () => {
    const t = await ticket();
    const first = open(`/v1/jobs/events?ticket=${t}`, {});
    await first.ready;
    expect(first.status).toBe(200);
    await eventually(() => first.events.length > 0, 'init');
    first.close();
    const second = await raw(api.server.port, `/v1/jobs/events?ticket=${t}`);
    expect(second.status).toBe(403);
  });

  it('refuses an expired ticket, an unknown one, and a ticket anywhere but the stream', async () => {
    const t = await ticket();
    now += 60_001;
    expect((await raw(api.server.port, `/v1/jobs/events?ticket=${t}`)).status).toBe(403);
    expect((await raw(api.server.port, '/v1/jobs/events?ticket=forged')).status).toBe(403);
    const t2 = await ticket();
    expect((await raw(api.server.port, `/v1/jobs/queue?ticket=${t2}`)).status).toBe(401);
    expect((await raw(api.server.port, `/v1/jobs/events?token=${api.token}`)).status).toBe(401);
  });

  it('issues tickets only to a caller holding the token', async () => {
    expect((await raw(api.server.port, '/v1/auth/ticket', { method: 'POST' })).status).toBe(401);
  });

  it('still checks the Origin on the stream', async () => {
    const t = await ticket();
    const res = await raw(api.server.port, `/v1/jobs/events?ticket=${t}`, {
      headers: { Origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
  });
});

describe('reconnecting with Last-Event-ID', () => {
  it('replays exactly what was missed: no gap, no duplicate', async () => {
    const witness = open();
    const reader = open();
    await eventually(() => reader.events.length > 0 && witness.events.length > 0, 'init');
    const urls = (prefix: string) =>
      Array.from({ length: 15 }, (_, i) => `https://example.com/${prefix}-${i}.bin`).join('\n');
    await api.call('POST', '/v1/jobs/download/submit', { url: urls('before'), paused: true });
    const target = api.core.jobs.hub.lastEventId;
    await eventually(() => reader.lastId >= target, 'the first batch');
    reader.close();
    const seen = reader.events;
    const lastSeen = reader.lastId;

    // Missed while away: new jobs and changes to old ones.
    const { jobs } = (await api.call('POST', '/v1/jobs/download/submit', { url: urls('during'), paused: true })).json();
    await api.call('POST', '/v1/jobs/resume', { id: jobs[0].id });
    await api.call('POST', '/v1/jobs/cancel', { id: jobs[1].id });

    const resumed = open('/v1/jobs/events', { ...auth(), 'Last-Event-ID': String(lastSeen) });
    const end = api.core.jobs.hub.lastEventId;
    await eventually(() => resumed.lastId >= end && witness.lastId >= end, 'the replay');
    expect(resumed.events[0]!.event).not.toBe('init');
    expect(resumed.events[0]!.id).toBe(lastSeen + 1);
    const received = [...seen.filter((e) => e.event !== 'init'), ...resumed.events].map((e) => e.id);
    const expected = witness.events.filter((e) => e.event !== 'init').map((e) => e.id);
    expect(received).toEqual(expected);
    expect(new Set(received).size).toBe(received.length);
    expect(rebuildState([...seen, ...resumed.events])).toEqual(rebuildState(witness.events));
    resumed.close();
    witness.close();
  });

  it('sends a fresh init when the id is unknown, or given in the query by a new EventSource', async () => {
    const future = open('/v1/jobs/events', { ...auth(), 'Last-Event-ID': '999999999' });
    await eventually(() => future.events.length > 0, 'init');
    expect(future.events[0]!.event).toBe('init');
    future.close();
    const last = api.core.jobs.hub.lastEventId;
    await api.call('POST', '/v1/jobs/download/submit', { url: 'https://example.com/query-id.bin', paused: true });
    const byQuery = open(`/v1/jobs/events?lastEventId=${last}`);
    await eventually(() => byQuery.events.length > 0, 'the replay');
    expect(byQuery.events[0]).toMatchObject({ id: last + 1, event: 'added' });
    byQuery.close();
  });
});

describe('closing the server', () => {
  it('ends open streams instead of waiting on them', async () => {
    const own = await startTestApi();
    const reader = new SseReader(own.server.port, '/v1/jobs/events', { Authorization: `Bearer ${own.token}` });
    await eventually(() => reader.events.length > 0, 'init');
    await own.close();
    await eventually(() => reader.ended, 'the stream to end');
  });
});

describe('closing the server with a client that stopped reading', () => {
  it('does not wait on it', async () => {
    const own = await startTestApi({ runner: quickRunner });
    const reader = new SseReader(own.server.port, '/v1/jobs/events', { Authorization: `Bearer ${own.token}` });
    const res = await reader.ready;
    await eventually(() => reader.events.length > 0, 'init');
    res.pause();
    // Enough events to fill the socket buffers on both sides.
    for (let i = 0; i < 10; i += 1) {
      const urls = Array.from({ length: 100 }, (_, n) => `https://example.com/fill-${i}-${n}-${'x'.repeat(400)}.bin`);
      await own.call('POST', '/v1/jobs/download/submit', { url: urls.join('\n') });
    }
    // Resolving at all is the point: a close that waited on this socket would time out.
    await own.close();
    reader.close();
  });
});
