import { describe, expect, it, vi } from 'vitest';
import { invokeChannel, jobEventChannels, type HaulBridge, type JobEvent } from '../src-common/contract';

const electron = vi.hoisted(() => {
  const listeners = new Map<string, (event: unknown, payload: unknown) => void>();
  const exposed: Record<string, unknown> = {};
  return {
    exposed,
    listeners,
    sent: [] as string[],
    invoked: [] as unknown[][],
  };
});
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (electron.exposed[key] = value) },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => {
      electron.invoked.push(args);
      return { ok: true, value: 'from main' };
    },
    send: (channel: string) => electron.sent.push(channel),
    on: (channel: string, fn: (event: unknown, payload: unknown) => void) => electron.listeners.set(channel, fn),
    removeListener: (channel: string) => electron.listeners.delete(channel),
  },
}));
await import('./index');
const haul = electron.exposed.haul as Required<HaulBridge>;

describe('window.haul', () => {
  it('exposes only invoke, onJobEvent and onShowRequest', () => {
    expect(Object.keys(haul).sort()).toEqual(['invoke', 'onJobEvent', 'onShowRequest']);
  });

  it('refuses an unknown command without any IPC, and passes a known one on', async () => {
    expect(await haul.invoke('nope' as never, {} as never)).toMatchObject({ ok: false, error: { kind: 'not_found' } });
    expect(electron.invoked).toEqual([]);
    expect(await haul.invoke('app.info', {})).toEqual({ ok: true, value: 'from main' });
    expect(electron.invoked).toEqual([[invokeChannel, 'app.info', {}]]);
  });

  it('subscribes on the first listener, holds events until init, and unsubscribes after the last', () => {
    const seen: JobEvent['event'][] = [];
    const off = haul.onJobEvent((event) => seen.push(event.event));
    expect(electron.sent).toEqual([jobEventChannels.subscribe]);
    const deliver = electron.listeners.get(jobEventChannels.events)!;
    deliver({}, [{ event: 'updated', data: {} }]);
    deliver({}, [
      { event: 'init', data: {} },
      { event: 'added', data: {} },
    ]);
    deliver({}, 'not a batch');
    expect(seen).toEqual(['init', 'added']);
    off();
    expect(electron.sent).toEqual([jobEventChannels.subscribe, jobEventChannels.unsubscribe]);
    expect(electron.listeners.has(jobEventChannels.events)).toBe(false);
    expect(() => haul.onJobEvent('nope' as never)).toThrow(TypeError);
  });
});
