import type {
  CommandInput,
  CommandName,
  CommandOutput,
  Envelope,
  HaulBridge,
  JobEvent,
} from '../../../src-common/contract';
import { openEventStream, type StreamStatus } from './event-stream';

declare global {
  interface Window {
    /** Present inside the Electron app (the preload bridge); absent in a browser. */
    haul?: HaulBridge;
  }
}

const tokenKey = 'haul.apiToken';

/**
 * In a browser the page is opened with `#token=...` (printed by `haul serve`); the token
 * is removed from the address bar at once and kept in this browser's storage. Any page
 * can open this address with a token of its choosing: one Haul refuses (`accepted`) never
 * replaces the token this browser holds.
 */
export async function takeTokenFromLocation(
  location: Location,
  storage: Storage,
  history: History,
  accepted: (token: string) => Promise<boolean>,
): Promise<void> {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match?.[1]) return;
  history.replaceState(null, '', location.pathname + location.search);
  const offered = decodeURIComponent(match[1]);
  const held = storage.getItem(tokenKey);
  if (held === offered) return;
  if (held === null || (await accepted(offered))) storage.setItem(tokenKey, offered);
}

/** Whether Haul lets `token` in (a command that reads nothing of note). */
function tokenAccepted(fetchImpl: typeof fetch) {
  return async (token: string): Promise<boolean> => {
    try {
      const response = await fetchImpl('/v1/rpc/app.info', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: '{}',
      });
      return response.ok;
    } catch {
      return false;
    }
  };
}

/** Keeps a new token (after it was regenerated) so this browser stays signed in. */
export function rememberToken(token: string, storage: Storage = window.localStorage): void {
  storage.setItem(tokenKey, token);
}

function httpBridge(fetchImpl: typeof fetch, storage: Storage, ready: Promise<void>): HaulBridge {
  return {
    async invoke(command, input) {
      await ready;
      const token = storage.getItem(tokenKey);
      try {
        const response = await fetchImpl(`/v1/rpc/${encodeURIComponent(command)}`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            ...(token ? { Authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify(input ?? {}),
        });
        return (await response.json()) as Envelope<never>;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, error: { kind: 'unavailable', message: `Haul is not reachable: ${message}` } };
      }
    },
  };
}

export type JobEventListener = (event: JobEvent) => void;
export type StatusListener = (status: StreamStatus, message?: string) => void;

export interface HaulClient {
  readonly transport: 'ipc' | 'http';
  invoke<C extends CommandName>(command: C, input: CommandInput<C>): Promise<Envelope<CommandOutput<C>>>;
  /** The job event stream; `init` comes first. Returns the unsubscribe. */
  subscribe(listener: JobEventListener, onStatus?: StatusListener): () => void;
}

type Invoke = HaulClient['invoke'];

/** Reads `jobs.snapshot` as an `init` event: the fallback when no stream exists. */
function snapshotEvent(invoke: Invoke) {
  return async (): Promise<JobEvent | undefined> => {
    const answer = await invoke('jobs.snapshot', {});
    return answer.ok ? { event: 'init', data: answer.value } : undefined;
  };
}

function pollingSubscribe(invoke: Invoke): HaulClient['subscribe'] {
  return (listener, onStatus) => {
    let stopped = false;
    onStatus?.('polling');
    const read = snapshotEvent(invoke);
    const tick = async () => {
      if (stopped) return;
      const event = await read();
      if (event && !stopped) listener(event);
      if (!stopped) setTimeout(() => void tick(), 1000);
    };
    void tick();
    return () => {
      stopped = true;
    };
  };
}

export function createClient(): HaulClient {
  const bridge = window.haul;
  if (bridge) {
    const invoke: Invoke = bridge.invoke.bind(bridge);
    const subscribe: HaulClient['subscribe'] = bridge.onJobEvent
      ? (listener, onStatus) => {
          onStatus?.('live');
          return bridge.onJobEvent!(listener);
        }
      : pollingSubscribe(invoke);
    return { transport: 'ipc', invoke, subscribe };
  }
  const fetchImpl = window.fetch.bind(window);
  const ready = takeTokenFromLocation(window.location, window.localStorage, window.history, tokenAccepted(fetchImpl));
  const { invoke } = httpBridge(fetchImpl, window.localStorage, ready);
  return {
    transport: 'http',
    invoke,
    subscribe: (listener, onStatus) => {
      let stop: (() => void) | undefined;
      let stopped = false;
      void ready.then(() => {
        if (stopped) return;
        stop = openEventStream({
          fetch: fetchImpl,
          token: () => window.localStorage.getItem(tokenKey),
          snapshot: snapshotEvent(invoke),
          onEvent: listener,
          onStatus,
        });
      });
      return () => {
        stopped = true;
        stop?.();
      };
    },
  };
}
