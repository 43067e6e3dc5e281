import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { DownloadJob } from '../../src-common/contract';
import { ManualClock } from '../core/clock';
import { EventHub } from '../core/jobs/event-hub';
import { downloadJob } from '../test/job-fixtures';
import { formatEvent, parseLastEventId, streamEvents } from './sse-stream';
import { eventually } from './test-support';

function job(id: string, progress = 0): DownloadJob {
  return downloadJob({ id, progress, url: `https://example.com/${id}`, fileName: null, dir: '/tmp' });
}

/** A response whose socket is full until `drain()` is called. */
class StuckResponse extends EventEmitter {
  chunks: string[] = [];
  full = false;
  writableEnded = false;
  destroyed = false;
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return !this.full;
  }
  end(): void {
    this.writableEnded = true;
    this.emit('close');
  }
  drain(): void {
    this.full = false;
    this.emit('drain');
  }
  get text(): string {
    return this.chunks.join('');
  }
}

function setup() {
  const live = new Map<string, DownloadJob>();
  const hub = new EventHub({
    clock: new ManualClock(),
    snapshot: () => ({ jobs: [...live.values()], actionJobs: [], tasks: [] }),
    bufferSize: 10,
  });
  const add = (id: string) => {
    live.set(id, job(id));
    hub.publish('added', live.get(id)!, true);
  };
  return { hub, add };
}

describe('SSE stream writer', () => {
  it('writes id, event and one data line per event', () => {
    const text = formatEvent({ id: 7, event: 'added', data: { type: 'added', job: job('a\nb') } });
    expect(text.startsWith('id: 7\nevent: added\ndata: {')).toBe(true);
    expect(text.endsWith('}\n\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(5);
  });

  it('reads Last-Event-ID only as a plain number', () => {
    expect(parseLastEventId('42')).toBe(42);
    expect(parseLastEventId(' 42 ')).toBe(42);
    expect(parseLastEventId('-1')).toBeUndefined();
    expect(parseLastEventId('4e3')).toBeUndefined();
    expect(parseLastEventId(undefined)).toBeUndefined();
  });

  it('waits for drain when the socket is full, and the hub never waits for it', async () => {
    const { hub, add } = setup();
    const res = new StuckResponse();
    res.full = true;
    const done = streamEvents(hub.subscribe(), res as unknown as ServerResponse, 60_000);
    await eventually(() => res.chunks.length === 1, 'the init write');
    expect(res.text).toContain('event: init');
    // The socket is full: publishing goes on, nothing more is written, the buffer overflows.
    for (let i = 0; i < 25; i += 1) add(`j${i}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(res.chunks).toHaveLength(1);
    res.drain();
    // Resynchronised: a fresh init holding all 25 jobs, not a stream with a hole in it.
    await eventually(() => res.chunks.length === 2, 'the write after drain');
    const resync = res.chunks[1]!;
    expect(resync.startsWith('id: 25\nevent: init\n')).toBe(true);
    expect(JSON.parse(resync.split('data: ')[1]!).jobs).toHaveLength(25);
    add('after');
    await eventually(() => res.text.includes('id: 26\nevent: added'), 'the next event');
    hub.close();
    await done;
    expect(res.writableEnded).toBe(true);
  });

  it('stops and unsubscribes when the client goes away', async () => {
    const { hub } = setup();
    const res = new StuckResponse();
    const done = streamEvents(hub.subscribe(), res as unknown as ServerResponse, 60_000);
    await eventually(() => res.chunks.length === 1, 'the init write');
    expect(hub.subscriberCount).toBe(1);
    res.destroyed = true;
    res.emit('close');
    await done;
    expect(hub.subscriberCount).toBe(0);
  });

  it('sends a heartbeat comment while idle, never while the socket is full', async () => {
    const { hub } = setup();
    const res = new StuckResponse();
    const done = streamEvents(hub.subscribe(), res as unknown as ServerResponse, 5);
    await eventually(() => res.chunks.includes(': heartbeat\n\n'), 'a heartbeat');
    res.full = true;
    hub.publish('added', job('x'), true);
    await eventually(() => res.text.includes('event: added'), 'the blocked write');
    const count = res.chunks.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(res.chunks).toHaveLength(count);
    hub.close();
    res.drain();
    await done;
  });
});
