// The preload's world, run in the page before any page script (Playwright init script).
// Read as text by browser-window.ts and called with the binding's name, the window's
// options and the preload bundle wrapped as a CommonJS function. Plain JS on purpose:
// it is sent to the page as it is written.
/* global window */
// eslint-disable-next-line @typescript-eslint/no-unused-expressions
(function standInPreload(bindingName, options, preload) {
  'use strict';
  const call = globalThis[bindingName];
  // The binding is kept in this closure only: page scripts must not reach main directly.
  delete globalThis[bindingName];
  // Electron runs preload scripts in the main frame only, unless nodeIntegrationInSubFrames.
  if (window.top !== window || typeof call !== 'function') return;

  const doc = Math.random().toString(36).slice(2);
  const listeners = new Map();
  const on = (channel, listener) => {
    if (!listeners.has(channel)) listeners.set(channel, new Set());
    listeners.get(channel).add(listener);
  };
  const off = (channel, listener) => listeners.get(channel)?.delete(listener);

  const ipcRenderer = {
    invoke: async (channel, ...args) => {
      const answer = await call({ kind: 'invoke', doc, channel, args });
      if (answer.ok) return answer.value;
      throw new Error(answer.message);
    },
    send: (channel, ...args) => void call({ kind: 'send', doc, channel, args }),
    on(channel, listener) {
      on(channel, listener);
      return ipcRenderer;
    },
    once(channel, listener) {
      const once = (...args) => (off(channel, once), listener(...args));
      on(channel, once);
      return ipcRenderer;
    },
    removeListener(channel, listener) {
      off(channel, listener);
      return ipcRenderer;
    },
    off(channel, listener) {
      off(channel, listener);
      return ipcRenderer;
    },
    removeAllListeners(channel) {
      if (channel === undefined) listeners.clear();
      else listeners.delete(channel);
      return ipcRenderer;
    },
  };
  const event = { sender: ipcRenderer, senderId: 0, ports: [] };

  // main -> page: one pending `receive` call at a time, answered with the queued messages.
  void (async () => {
    for (;;) {
      let batch;
      try {
        batch = await call({ kind: 'receive', doc });
      } catch {
        return; // the page is going away
      }
      if (!Array.isArray(batch)) return;
      for (const [channel, args] of batch) {
        for (const listener of [...(listeners.get(channel) ?? [])]) {
          try {
            listener(event, ...args);
          } catch (error) {
            console.error(error);
          }
        }
      }
    }
  })();

  // "Any data / primitives sent in the API become immutable and updates on either side
  // of the bridge do not result in an update on the other side."
  // https://www.electronjs.org/docs/latest/api/context-bridge
  const copy = (value) => {
    if (typeof value === 'function') return (...args) => value(...args);
    if (Array.isArray(value)) return Object.freeze(value.map(copy));
    if (value && typeof value === 'object') {
      const out = {};
      for (const key of Object.keys(value)) out[key] = copy(value[key]);
      return Object.freeze(out);
    }
    return value;
  };
  const contextBridge = {
    exposeInMainWorld(key, api) {
      if (key in window) throw new Error(`Cannot bind an API on top of an existing property on the window object`);
      Object.defineProperty(window, key, { value: copy(api), enumerable: true });
      void call({ kind: 'exposed', doc, key });
    },
  };

  // A sandboxed preload's require knows only a few modules.
  // https://www.electronjs.org/docs/latest/tutorial/sandbox#preload-scripts
  const modules = { electron: { ipcRenderer, contextBridge } };
  const require = (name) => {
    if (Object.prototype.hasOwnProperty.call(modules, name)) return modules[name];
    throw new Error(`module not found: ${name}`);
  };
  const process = Object.freeze({
    platform: options.platform,
    type: 'renderer',
    sandboxed: options.sandbox,
    contextIsolated: options.contextIsolation,
    versions: Object.freeze({ ...options.versions }),
    env: Object.freeze({}),
    argv: Object.freeze([]),
  });
  const module = { exports: {} };
  try {
    preload.call(module.exports, require, module, module.exports, process, globalThis);
  } catch (error) {
    // Electron logs "Unable to load preload script" and goes on loading the page.
    console.error('Unable to load preload script', error);
    void call({ kind: 'preload-error', doc, message: String(error && error.stack ? error.stack : error) });
  }
});
