import type { CommandInput, CommandName, CommandOutput, Envelope, HaulBridge } from '../../../src-preload/contract';

declare global {
  interface Window {
    /** Present inside the Electron app (the preload bridge); absent in a browser. */
    haul?: HaulBridge;
  }
}

const tokenKey = 'haul.apiToken';

/**
 * In a browser the page is opened with `#token=...` (printed by `haul serve`); the token
 * is kept in this browser's storage and removed from the address bar at once.
 */
export function takeTokenFromLocation(location: Location, storage: Storage, history: History): void {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match?.[1]) return;
  storage.setItem(tokenKey, decodeURIComponent(match[1]));
  history.replaceState(null, '', location.pathname + location.search);
}

function httpBridge(fetchImpl: typeof fetch, storage: Storage): HaulBridge {
  return {
    async invoke(command, input) {
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

export interface HaulClient {
  readonly transport: 'ipc' | 'http';
  invoke<C extends CommandName>(command: C, input: CommandInput<C>): Promise<Envelope<CommandOutput<C>>>;
}

export function createClient(): HaulClient {
  if (window.haul) return { transport: 'ipc', invoke: window.haul.invoke.bind(window.haul) };
  takeTokenFromLocation(window.location, window.localStorage, window.history);
  const bridge = httpBridge(window.fetch.bind(window), window.localStorage);
  return { transport: 'http', invoke: bridge.invoke };
}
