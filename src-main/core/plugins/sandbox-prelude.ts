/**
 * The `haul` object, as JavaScript that runs inside the QuickJS sandbox. It is evaluated
 * once per plugin and handed two native functions: `send(type, json)` (fire and forget)
 * and `call(method, json)` (a promise of the host's JSON answer). Neither becomes a
 * global: the plugin sees only the `haul` object passed to its `activate`.
 *
 * It returns `dispatch(op, json, fn?)`, the worker's way in: activate, action, resolve,
 * hook, job and settings. Every answer leaves as a JSON string.
 */
export const sandboxPrelude = String.raw`
(function (send, call, downloadDir) {
  'use strict';
  const actions = new Map();
  const resolvers = [];
  const hooks = { 'download.completed': [], 'settings.changed': [], 'job.control': [] };
  const callbacks = new Map();
  let nextCallback = 1;
  let settings = {};

  const json = (value) => JSON.stringify(value === undefined ? null : value);
  const invoke = (method, args) => call(method, json(args)).then((text) => JSON.parse(text));
  const text = (value) => {
    if (typeof value === 'string') return value;
    if (value instanceof Error) return value.name + ': ' + value.message;
    try {
      return JSON.stringify(value);
    } catch (error) {
      return String(value);
    }
  };
  const fire = (method, args) => send(method, json(args));
  // A task's handle (haul.createJob): each call answers the task's control, which it also keeps.
  const taskHandle = (first) => {
    const id = first.id;
    const handle = { id };
    const take = (job) => {
      for (const key of ['status', 'control', 'progress', 'state', 'metadata', 'retryAt']) handle[key] = job[key];
      return job.control;
    };
    take(first);
    const ask = (method, args) => invoke(method, [id].concat(args)).then(take);
    handle.start = () => ask('tasks.start', []);
    handle.updateProgress = (progress, metadata, options) =>
      ask('tasks.progress', [typeof progress === 'number' ? progress : null, metadata || null, options || {}]);
    handle.checkpoint = (state, progress) =>
      ask('tasks.progress', [typeof progress === 'number' ? progress : null, null, { state }]);
    handle.complete = (result) => ask('tasks.complete', [result === undefined ? null : result]);
    handle.fail = (message) => ask('tasks.fail', [text(message)]);
    handle.suspend = (state) => ask('tasks.suspend', [state || null]);
    handle.cancel = () => invoke('job.cancel', [id]).then(() => ask('tasks.get', []));
    handle.refresh = () => ask('tasks.get', []);
    handle.log = (line) => fire('job.log', [id, text(line)]);
    return handle;
  };
  const wildcard = (glob) =>
    new RegExp('^' + glob.split('*').map((part) => part.replace(/[.+?^$\{\}()|[\]\\/]/g, '\\$&')).join('.*') + '$');

  const haul = {
    action(spec) {
      if (!spec || typeof spec !== 'object') throw new TypeError('haul.action: expects an object');
      if (typeof spec.handler !== 'function') throw new TypeError('haul.action: handler must be a function');
      const declaration = {};
      for (const key of Object.keys(spec)) if (key !== 'handler') declaration[key] = spec[key];
      actions.set(String(spec.id), spec.handler);
      fire('register', [{ what: 'action', declaration }]);
    },
    startJob(label, fn) {
      if (typeof fn !== 'function') throw new TypeError('haul.startJob: the second argument must be a function');
      const id = nextCallback++;
      callbacks.set(id, fn);
      return invoke('startJob', [String(label), id]);
    },
    createJob(spec) {
      if (!spec || typeof spec !== 'object') throw new TypeError('haul.createJob: expects an object');
      return invoke('tasks.create', [spec]).then(taskHandle);
    },
    jobs: {
      get: (id) => invoke('tasks.get', [String(id)]).then(taskHandle),
      mine: () => invoke('tasks.list', []).then((list) => list.map(taskHandle)),
      cleanup: (days) => invoke('tasks.cleanup', [days]),
    },
    job: {
      progress: (jobId, percent, message, metadata) => fire('job.progress', [jobId, percent, message, metadata]),
      cancel: (jobId) => invoke('job.cancel', [jobId]),
      complete: (jobId, result) => fire('job.complete', [jobId, result]),
      fail: (jobId, message) => fire('job.fail', [jobId, text(message)]),
      log: (jobId, line) => fire('job.log', [jobId, text(line)]),
    },
    on(event, fn) {
      if (!Object.prototype.hasOwnProperty.call(hooks, event)) {
        throw new TypeError('haul.on: unknown event ' + event + '; known: ' + Object.keys(hooks).join(', '));
      }
      if (typeof fn !== 'function') throw new TypeError('haul.on: the listener must be a function');
      hooks[event].push(fn);
      if (event !== 'settings.changed') fire('register', [{ what: 'hook', event }]);
    },
    resolve(pattern, fn) {
      if (typeof fn !== 'function') throw new TypeError('haul.resolve: the resolver must be a function');
      const matcher = pattern instanceof RegExp ? pattern : wildcard(String(pattern));
      resolvers.push({ matcher, fn });
      fire('register', [{ what: 'resolver', pattern: String(pattern) }]);
    },
    http: {
      fetch: (url, options) => invoke('http.fetch', [String(url), options || {}]),
    },
    files: {
      // A getter: the host sends the new folder when the user changes it.
      get downloadDir() {
        return downloadDir;
      },
      read: (target, options) => invoke('files.read', [target, options || {}]),
      hash: (target, algorithm, options) => invoke('files.hash', [target, algorithm || 'sha256', options || {}]),
      move: (target, destination, options) => invoke('files.move', [target, destination, options || {}]),
    },
    downloads: {
      submit: (input) => invoke('downloads.submit', [typeof input === 'string' ? { url: input } : input]),
    },
    storage: {
      get: (key) => invoke('storage.get', [String(key)]),
      set: (key, value) => invoke('storage.set', [String(key), value]),
      delete: (key) => invoke('storage.delete', [String(key)]),
      keys: () => invoke('storage.keys', []),
    },
    notify(title, body, level) {
      const note = typeof title === 'object' && title !== null ? title : { title, body, level };
      return invoke('notify', [{ title: text(note.title), body: text(note.body || ''), level: note.level || 'info' }]);
    },
    settings: {
      get: (key) => (key === undefined ? Object.assign({}, settings) : settings[key]),
    },
    log: (...args) => fire('log', ['info', args.map(text).join(' ')]),
    warn: (...args) => fire('log', ['warn', args.map(text).join(' ')]),
    sleep: (ms) => invoke('sleep', [Number(ms) || 0]),
  };
  for (const part of [haul.job, haul.jobs, haul.http, haul.files, haul.downloads, haul.storage, haul.settings]) Object.freeze(part);
  Object.freeze(haul);

  async function runResolvers(url) {
    for (const { matcher, fn } of resolvers) {
      matcher.lastIndex = 0;
      if (!matcher.test(url)) continue;
      const answer = await fn(url);
      if (answer !== undefined && answer !== null) return answer;
    }
    return null;
  }

  async function runHooks(event, payload) {
    const failures = [];
    for (const fn of hooks[event]) {
      try {
        await fn(payload);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : text(error));
      }
    }
    if (failures.length > 0) throw new Error(failures.join('; '));
  }

  async function run(op, input, fn) {
    switch (op) {
      case 'activate':
        return fn(haul);
      case 'folders':
        downloadDir = String(input.downloadDir);
        return null;
      case 'settings':
        settings = input;
        for (const listener of hooks['settings.changed']) await listener(Object.assign({}, settings));
        return null;
      case 'action': {
        const handler = actions.get(input.actionId);
        if (!handler) throw new Error('no action ' + input.actionId + ' is registered');
        return handler({ params: input.params, resource: input.resource, jobId: input.jobId });
      }
      case 'resolve':
        return runResolvers(input.url);
      case 'hook':
        return runHooks(input.event, input.payload);
      case 'job': {
        const callback = callbacks.get(input.callbackId);
        callbacks.delete(input.callbackId);
        if (!callback) throw new Error('the job function is gone (the plugin was restarted)');
        return callback(input.jobId);
      }
      default:
        throw new Error('unknown operation ' + op);
    }
  }

  return function dispatch(op, input, fn) {
    return Promise.resolve()
      .then(() => run(op, JSON.parse(input), fn))
      .then((value) => {
        const out = JSON.stringify(value === undefined ? null : value);
        if (out === undefined) throw new TypeError('the result cannot be sent out of the sandbox (not JSON)');
        return out;
      });
  };
})
`;
