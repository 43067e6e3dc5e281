import { createRequire } from 'node:module';
import type * as Undici from 'undici';

// Not named `require`: the build declares one of its own in the chunk this lands in.
const load = createRequire(import.meta.url);

/**
 * The parts of undici a direct download uses, without its index: the index also loads
 * fetch, WebSocket, EventSource, the mocks, the caches and the interceptors (8 MB of RSS
 * here, and their compilation at the first download). The index also gives every
 * dispatcher its `request`/`stream`/`connect` methods; the engine dispatches itself and
 * needs none of them. A proxy agent does (it tunnels with `connect`), so proxies take
 * the whole package (`proxyAgents`).
 */
export const Agent = load('undici/lib/dispatcher/agent') as typeof Undici.Agent;
export const buildConnector = load('undici/lib/core/connect') as typeof Undici.buildConnector;

export function proxyAgents(): Pick<typeof Undici, 'ProxyAgent' | 'EnvHttpProxyAgent'> {
  return load('undici') as typeof Undici;
}
