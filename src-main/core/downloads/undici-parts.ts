/**
 * The parts of undici a download uses, each from its own file instead of undici's index,
 * which also loads fetch, WebSocket, the caches, cookies, the mocks and, through the web
 * globals they touch, Node's own bundled copy of undici: about two thirds of the code the
 * first download of a start loaded and evaluated (the chunk's code cache went from 475 to
 * 271 KiB), none of it used. The plugins' HTTP access still loads the whole package.
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
