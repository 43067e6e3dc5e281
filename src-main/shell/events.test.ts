import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { showChannel, type HaulBridge, type JobEvent } from '../../src-common/contract';
import { createCoreWithParts, type Core, type CoreParts } from '../core/app';
import type { SequencedEvent } from '../core/jobs/event-hub';
import { eventually, heldRunner, rebuildState } from '../server/test-support';
import { tempDir } from '../test/temp-dir';
import { jobEventChannels } from '../../src-common/contract';
import { registerJobEventForwarder } from './events';

// The real preload runs against this stand-in for electron, wired to the fake main below.
const bus = vi.hoisted(() => {
  type Fn = (...args: unknown[]) => void;
  const rendererListeners = new Map<string, Set<Fn>>();
  const state = { toMain: (_channel: string) => undefined as void, exposed: {} as Record<string, unknown> };
  return {
    rendererListeners,
    state,
    ipcRenderer: {
      send: (channel: string) => state.toMain(channel),
      on: (channel: string, fn: Fn) => {
        if (!rendererListeners.has(channel)) rendererListeners.set(channel, new Set());
        rendererListeners.get(channel)!.add(fn);
      },
      removeListener: (channel: string, fn: Fn) => rendererListeners.get(channel)?.delete(fn),
      invoke: async () => undefined,
    },
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (state.exposed[key] = value) },
  };
});
vi.mock('electron', () => ({ ipcRenderer: bus.ipcRenderer, contextBridge: bus.contextBridge }));
await import('../../src-preload/index');

const rendererDir = '/opt/haul/out/renderer';
const ownPage = pathToFileURL(join(rendererDir, 'index.html')).href;

class FakeWindow extends EventEmitter {
  static next = 1;
  readonly id = FakeWindow.next++;
  destroyed = false;
  batches: SequencedEvent[][] = [];
  constructor(private readonly toRenderer = false) {
    super();
  }
  send(channel: string, batch: SequencedEvent[]): void {
    expect(channel).toBe(jobEventChannels.events);
    this.batches.push(batch);
    if (this.toRenderer) for (const fn of bus.rendererListeners.get(channel) ?? []) fn({}, batch);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
  get events(): SequencedEvent[] {
    return this.batches.flat();
  }
}

let dir: ReturnType<typeof tempDir>;
let core: Core & CoreParts;
let ipcMain: EventEmitter;
let stopForwarding: () => void;
beforeEach(() => {
  dir = tempDir();
  core = createCoreWithParts({
    dataDir: dir.path,
    downloadDir: dir.path,
    runtime: 'electron',
    version: '1',
    downloadRunner: heldRunner,
  });
  ipcMain = new EventEmitter();
  stopForwarding = registerJobEventForwarder(ipcMain as never, core.jobs.hub, { rendererDir });
});
afterEach(async () => {
  stopForwarding();
  await core.close();
  dir.remove();
});

const subscribe = (window: FakeWindow, url = ownPage) =>
  ipcMain.emit(jobEventChannels.subscribe, { sender: window, senderFrame: { url } });
const submit = (url: string, paused = true) => core.invoke('downloads.submit', { url, paused });

describe('job events to windows over IPC', () => {
  it('starts a window with init, then sends its changes', async () => {
    const window = new FakeWindow();
    subscribe(window);
    await eventually(() => window.events.length > 0, 'init');
    expect(window.events[0]!.event).toBe('init');
    await submit('https://example.com/a.bin');
    await eventually(() => window.events.some((e) => e.event === 'added'), 'added');
  });

  it('sends nothing to a frame that is not our page', async () => {
    const window = new FakeWindow();
    subscribe(window, 'https://evil.example/');
    await submit('https://example.com/b.bin');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(window.batches).toEqual([]);
    expect(core.jobs.hub.subscriberCount).toBe(0);
  });

  it('resyncs a window that subscribes again, with one hub subscription per window', async () => {
    const window = new FakeWindow();
    subscribe(window);
    await eventually(() => window.events.length === 1, 'init');
    subscribe(window);
    await eventually(() => window.events.length === 2, 'a second init');
    expect(window.events.map((e) => e.event)).toEqual(['init', 'init']);
    expect(core.jobs.hub.subscriberCount).toBe(1);
  });

  it('stops when the window is destroyed or unsubscribes, leaving other windows alone', async () => {
    const [a, b] = [new FakeWindow(), new FakeWindow()];
    subscribe(a);
    subscribe(b);
    await eventually(() => core.jobs.hub.subscriberCount === 2, 'two subscriptions');
    a.destroy();
    await eventually(() => core.jobs.hub.subscriberCount === 1, 'a to stop');
    await submit('https://example.com/c.bin');
    await eventually(() => b.events.some((e) => e.event === 'added'), 'b to go on');
    ipcMain.emit(jobEventChannels.unsubscribe, { sender: b, senderFrame: { url: ownPage } });
    await eventually(() => core.jobs.hub.subscriberCount === 0, 'b to stop');
    subscribe(b);
    await eventually(() => core.jobs.hub.subscriberCount === 1, 'b back');
  });

  it('batches a burst, and a burst past the buffer becomes a fresh init, never a gap', async () => {
    const window = new FakeWindow();
    subscribe(window);
    await eventually(() => window.events.length === 1, 'init');
    const urls = Array.from({ length: 300 }, (_, i) => `https://example.com/burst-${i}.bin`).join('\n');
    await submit(urls);
    for (let i = 0; i < 20; i += 1) await submit(`https://example.com/after-${i}.bin`);
    const last = core.jobs.hub.lastEventId;
    await eventually(() => (window.events.at(-1)?.id ?? 0) >= last, 'the last event');
    expect(window.events.filter((e) => e.event === 'init').length).toBeGreaterThanOrEqual(2);
    expect(window.batches.length).toBeLessThan(window.events.length);
    const snapshot = core.jobs.registry.snapshot();
    expect(rebuildState(window.events)).toEqual(new Map(snapshot.jobs.map((j) => [j.id, j])));
  });
});

describe('window.haul.onJobEvent (the preload) against the forwarder', () => {
  const bridge = () => bus.state.exposed.haul as Required<HaulBridge>;
  let window: FakeWindow;
  beforeEach(() => {
    window = new FakeWindow(true);
    bus.state.toMain = (channel: string) =>
      void ipcMain.emit(channel, { sender: window, senderFrame: { url: ownPage } });
  });

  it('delivers init first to every listener, even one added late, and unsubscribes after the last', async () => {
    const first: JobEvent[] = [];
    const offFirst = bridge().onJobEvent((event) => first.push(event));
    await eventually(() => first.length === 1, 'init');
    await submit('https://example.com/d.bin', false);
    await eventually(() => first.some((e) => e.event === 'added'), 'added');

    const late: JobEvent[] = [];
    const offLate = bridge().onJobEvent((event) => late.push(event));
    const { value } = (await submit('https://example.com/e.bin')) as { value: { jobs: { id: string }[] } };
    await eventually(() => late.some((e) => e.event === 'added' && e.data.job.id === value.jobs[0]!.id), 'late added');
    expect(late[0]!.event).toBe('init');
    expect(core.jobs.hub.subscriberCount).toBe(1);

    offFirst();
    expect(core.jobs.hub.subscriberCount).toBe(1);
    offLate();
    offLate();
    await eventually(() => core.jobs.hub.subscriberCount === 0, 'unsubscribed');
    expect(bus.rendererListeners.get(jobEventChannels.events)?.size ?? 0).toBe(0);
  });

  it('keeps other listeners going when one throws', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const seen: JobEvent[] = [];
    const offBad = bridge().onJobEvent(() => {
      throw new Error('listener bug');
    });
    const offGood = bridge().onJobEvent((event) => seen.push(event));
    await eventually(() => seen.length > 0, 'init to the good listener');
    expect(errors).toHaveBeenCalled();
    offBad();
    offGood();
    errors.mockRestore();
  });
});

describe('show requests from main', () => {
  it('reach the page as typed requests; anything malformed is dropped', () => {
    const bridge = bus.state.exposed.haul as Required<HaulBridge>;
    const seen: unknown[] = [];
    const off = bridge.onShowRequest((request) => seen.push(request));
    const send = (payload: unknown) => {
      for (const fn of bus.rendererListeners.get(showChannel) ?? []) fn({}, payload);
    };
    send({ kind: 'job', id: 'abcd1234' });
    send({ kind: 'job', id: 42 });
    send({ kind: 'exec', id: 'x' });
    send(null);
    off();
    send({ kind: 'job', id: 'after-off' });
    expect(seen).toEqual([{ kind: 'job', id: 'abcd1234' }]);
  });
});
