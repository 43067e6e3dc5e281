/**
 * The parts of undici a download uses, each from its own file instead of undici's index,
 * which also loads fetch, WebSocket, the caches, cookies, the mocks and, through the web
 * globals they touch, Node's own bundled copy of undici, none of which a download uses:
 * the first download of a start loaded a chunk whose code cache was 475 KiB, now 271 KiB
 * (without a code cache, 165 ms against 57). The plugins' HTTP access still loads the
 * whole package. These paths are undici's own layout, not its public API: the version is
 * pinned by the lock file, and a file that moves fails the build.
 *
 * Dispatcher's request, stream, pipeline, upgrade and connect methods are attached by the
 * index, in its one line of set-up (`Object.assign(Dispatcher.prototype, api)`); it is
 * repeated here, so a dispatcher is the same whichever loaded first (ProxyAgent opens its
 * tunnel with `connect`).
 */
import api from 'undici/lib/api/index.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';

Object.assign(Dispatcher.prototype, api);

export { default as Agent } from 'undici/lib/dispatcher/agent.js';
export { default as EnvHttpProxyAgent } from 'undici/lib/dispatcher/env-http-proxy-agent.js';
export { default as ProxyAgent } from 'undici/lib/dispatcher/proxy-agent.js';
export { default as buildConnector } from 'undici/lib/core/connect.js';
