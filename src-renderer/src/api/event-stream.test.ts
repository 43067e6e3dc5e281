import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../src-common/contract';
import { frameToEvent, openEventStream } from './event-stream';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function streamResponse(text: string): Response {
  return new Response(new Blob([text]).stream(), { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

describe('browser event stream', () => {
  it('turns known frames into events and drops the rest', () => {
    expect(frameToEvent({ event: 'init', data: '{"jobs":[],"actionJobs":[]}', id: '1' })).toEqual({
      event: 'init',
      data: { jobs: [], actionJobs: [] },
    });
    expect(frameToEvent({ event: 'updated', data: '{"job":{"id":"aaaaaaaa"}}', id: '2' })?.event).toBe('updated');
    expect(frameToEvent({ event: 'updated', data: 'not json', id: '3' })).toBeUndefined();
    expect(frameToEvent({ event: 'surprise', data: '{}', id: '4' })).toBeUndefined();
  });

  it('sends the token, and Last-Event-ID when it reconnects', async () => {
    const requests: Headers[] = [];
    const events: JobEvent[] = [];
    const stop = openEventStream({
      fetch: (async (_url: string, init: RequestInit) => {
        requests.push(new Headers(init.headers));
        return streamResponse('id: 41\nevent: init\ndata: {"jobs":[],"actionJobs":[]}\n\n');
      }) as typeof fetch,
      token: () => 'secret',
      snapshot: async () => undefined,
      onEvent: (event) => events.push(event),
      backoff: { min: 10, max: 20 },
    });
    await wait(80);
    stop();
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(requests[0]!.get('Authorization')).toBe('Bearer secret');
    expect(requests[0]!.get('Last-Event-ID')).toBeNull();
    expect(requests[1]!.get('Last-Event-ID')).toBe('41');
    expect(events[0]?.event).toBe('init');
  });

  it('falls back to polling the snapshot when the server has no stream', async () => {
    const statuses: string[] = [];
    let polls = 0;
    const stop = openEventStream({
      fetch: async () => new Response('{}', { status: 404 }),
      token: () => null,
      snapshot: async () => {
        polls += 1;
        return { event: 'init', data: { jobs: [], actionJobs: [], tasks: [] } };
      },
      onEvent: () => {},
      onStatus: (status) => statuses.push(status),
      pollMs: 10,
    });
    await wait(60);
    stop();
    expect(statuses).toContain('polling');
    expect(polls).toBeGreaterThanOrEqual(2);
  });
});
