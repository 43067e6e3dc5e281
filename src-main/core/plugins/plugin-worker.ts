/**
 * The worker entry: one per plugin. It owns one QuickJS runtime with the plugin's memory
 * limit and an interrupt handler, evaluates the prelude and main.js, and turns host
 * messages into calls on the sandbox. Only plain data crosses to the main thread.
 */
import { parentPort } from 'node:worker_threads';
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  RELEASE_SYNC,
  type QuickJSContext,
  type QuickJSDeferredPromise,
  type QuickJSHandle,
  type QuickJSRuntime,
} from 'quickjs-emscripten';
import { setRuntimeFlags } from '../runtime-flags';
import type { CallOp, FailureReason, HostToWorker, WorkerFailure, WorkerInit, WorkerToHost } from './protocol';
import { sandboxPrelude } from './sandbox-prelude';

// First: this thread's start reset V8's flags for the whole process (see runtime-flags.ts).
setRuntimeFlags();

/** QuickJS's own recursion limit, well inside the worker's native stack. */
const maxStackBytes = 512 * 1024;
/** The heap the QuickJS build starts with (its wasm minimum), and room for its own bookkeeping. */
const baseHeapBytes = 16 * 1024 * 1024;
const slackBytes = 4 * 1024 * 1024;
type WasmMemory = NonNullable<Parameters<typeof newVariant>[1]>['wasmMemory'];
/** WebAssembly.Memory: Node has it, but this tsconfig (no DOM lib) does not declare it. */
const Memory = (
  globalThis as unknown as {
    WebAssembly: { Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory };
  }
).WebAssembly.Memory;

const port = parentPort;
if (!port) throw new Error('plugin-worker must run in a worker thread');
const post = (message: WorkerToHost) => port.postMessage(message);

let vm: QuickJSContext;
let runtime: QuickJSRuntime;
let dispatch: QuickJSHandle;
let control: Int32Array;
let defaultSliceMs = 5000;
let currentTask = 0;
let sliceDeadline = Infinity;
let nextCallId = 1;
const waiting = new Map<number, { deferred: QuickJSDeferredPromise; task: number; sliceMs: number }>();
const sliceOfTask = new Map<number, number>();

/** Runs sandbox work for `task` with a CPU deadline, then drains the promise jobs it queued. */
function enter(task: number, sliceMs: number, work: () => void): void {
  currentTask = task;
  sliceDeadline = Date.now() + sliceMs;
  try {
    work();
    const drained = runtime.executePendingJobs(-1);
    if (drained.error) drained.error.dispose();
  } finally {
    currentTask = 0;
    sliceDeadline = Infinity;
  }
}

/** Called by QuickJS every few thousand operations: deadlines and the host's interrupt requests. */
function interruptRequested(): boolean {
  const target = Atomics.load(control, 0);
  const asked = target !== 0 && (target === -1 || target === currentTask);
  if (!asked && Date.now() <= sliceDeadline) return false;
  if (asked) Atomics.compareExchange(control, 0, target, 0);
  // The interrupt error cannot be caught by the plugin; whatever runs after it in this
  // drain (other tasks' continuations) gets a fresh slice.
  sliceDeadline = Date.now() + defaultSliceMs;
  return true;
}

function toFailure(dumped: unknown): WorkerFailure {
  const error = dumped as { name?: unknown; message?: unknown } | null;
  const name = typeof error?.name === 'string' ? error.name : undefined;
  const message = typeof error?.message === 'string' ? error.message : undefined;
  let reason: FailureReason = 'thrown';
  if (name === 'InternalError' && message === 'interrupted') reason = 'interrupted';
  if (name === 'InternalError' && message === 'out of memory') reason = 'memory';
  const text =
    message !== undefined
      ? name
        ? `${name}: ${message}`
        : message
      : typeof dumped === 'string'
        ? dumped
        : JSON.stringify(dumped);
  return { reason, message: text ?? String(dumped) };
}

function dumpAndDispose(handle: QuickJSHandle): unknown {
  try {
    return vm.dump(handle);
  } finally {
    handle.dispose();
  }
}

/** Calls dispatch(op, input, fn) inside the sandbox; `settle` gets its JSON answer or failure. */
function invoke(
  op: string,
  input: unknown,
  fn: QuickJSHandle | undefined,
  settle: (outcome: { ok: true; value: unknown } | { ok: false; error: WorkerFailure }) => void,
): void {
  const opHandle = vm.newString(op);
  const inputHandle = vm.newString(JSON.stringify(input ?? null));
  const args = fn ? [opHandle, inputHandle, fn] : [opHandle, inputHandle];
  const result = vm.callFunction(dispatch, vm.undefined, ...args);
  opHandle.dispose();
  inputHandle.dispose();
  if (result.error) {
    settle({ ok: false, error: toFailure(dumpAndDispose(result.error)) });
    return;
  }
  const answer = vm.resolvePromise(result.value);
  result.value.dispose();
  answer.then(
    (outcome) => {
      if (outcome.error) settle({ ok: false, error: toFailure(dumpAndDispose(outcome.error)) });
      else settle({ ok: true, value: JSON.parse(vm.getString(outcome.value)) as unknown });
      if (!outcome.error) outcome.value.dispose();
    },
    (error: unknown) => settle({ ok: false, error: { reason: 'thrown', message: String(error) } }),
  );
}

function installNatives(downloadDir: string): void {
  const send = vm.newFunction('send', (typeHandle, jsonHandle) => {
    const type = vm.getString(typeHandle);
    const args = JSON.parse(vm.getString(jsonHandle)) as unknown[];
    if (type === 'register') post({ type: 'register', registration: args[0] as never });
    else post({ type: 'hostCall', id: 0, method: type, args });
  });
  const call = vm.newFunction('call', (methodHandle, jsonHandle) => {
    const method = vm.getString(methodHandle);
    const args = JSON.parse(vm.getString(jsonHandle)) as unknown[];
    const deferred = vm.newPromise();
    const task = currentTask;
    const sliceMs = sliceOfTask.get(task) ?? defaultSliceMs;
    if (method === 'sleep') {
      // A timer of this worker, not the host's: sleeping costs the main thread nothing.
      const ms = Math.min(Math.max(0, Number(args[0]) || 0), 60_000);
      setTimeout(() => settleHostCall(deferred, task, sliceMs, { ok: true, value: null }), ms);
    } else {
      const id = nextCallId++;
      waiting.set(id, { deferred, task, sliceMs });
      post({ type: 'hostCall', id, method, args });
    }
    return deferred.handle;
  });
  const prelude = vm.unwrapResult(vm.evalCode(sandboxPrelude, 'haul-prelude.js', { type: 'global' }));
  const dir = vm.newString(downloadDir);
  dispatch = vm.unwrapResult(vm.callFunction(prelude, vm.undefined, send, call, dir));
  for (const handle of [prelude, dir, send, call]) handle.dispose();
}

function settleHostCall(
  deferred: QuickJSDeferredPromise,
  task: number,
  sliceMs: number,
  outcome: { ok: true; value: unknown } | { ok: false; error: string },
): void {
  enter(task, sliceMs, () => {
    if (outcome.ok) {
      const value = vm.newString(JSON.stringify(outcome.value ?? null));
      deferred.resolve(value);
      value.dispose();
    } else {
      const error = vm.newError(outcome.error);
      deferred.reject(error);
      error.dispose();
    }
  });
}

async function init(message: WorkerInit): Promise<void> {
  control = new Int32Array(message.control);
  defaultSliceMs = message.sliceMs;
  // Two limits: QuickJS's own (exact for objects, but blind to some large buffers) and a
  // hard cap on the wasm heap, which no allocation gets past.
  const pages = (bytes: number) => Math.ceil(bytes / 65536);
  const wasmMemory = new Memory({
    initial: pages(baseHeapBytes),
    maximum: pages(baseHeapBytes + message.memoryBytes + slackBytes),
  });
  const quickjs = await newQuickJSWASMModuleFromVariant(newVariant(RELEASE_SYNC, { wasmMemory }));
  runtime = quickjs.newRuntime();
  runtime.setMemoryLimit(message.memoryBytes);
  runtime.setMaxStackSize(maxStackBytes);
  runtime.setInterruptHandler(interruptRequested);
  runtime.setModuleLoader((name) => {
    throw new Error(`plugins cannot import modules ("${name}"): keep the code in main.js and use the haul object`);
  });
  vm = runtime.newContext();
  installNatives(message.downloadDir);
  invokeActivate(message);
}

function invokeActivate(message: WorkerInit): void {
  const fail = (error: WorkerFailure) => post({ type: 'activateFailed', error });
  enter(-1, message.sliceMs, () => {
    invoke('settings', message.settings, undefined, () => undefined);
    const evaluated = vm.evalCode(message.code, 'main.js', { type: 'module' });
    if (evaluated.error) return fail(toFailure(dumpAndDispose(evaluated.error)));
    const state = vm.getPromiseState(evaluated.value);
    if (state.type !== 'fulfilled') {
      evaluated.value.dispose();
      if (state.type === 'rejected') return fail(toFailure(dumpAndDispose(state.error)));
      return fail({ reason: 'invalid', message: 'main.js must not wait at the top level (no top-level await)' });
    }
    const exports = state.value;
    const activate = vm.getProp(exports, 'activate');
    if (!state.notAPromise) exports.dispose();
    evaluated.value.dispose();
    if (vm.typeof(activate) !== 'function') {
      activate.dispose();
      return fail({ reason: 'invalid', message: 'main.js must export a function activate(haul)' });
    }
    invoke('activate', null, activate, (outcome) => {
      activate.dispose();
      post(outcome.ok ? { type: 'ready' } : { type: 'activateFailed', error: outcome.error });
    });
  });
}

function run(id: number, task: number, sliceMs: number, op: CallOp): void {
  sliceOfTask.set(task, sliceMs);
  enter(task, sliceMs, () =>
    invoke(op.kind, op, undefined, (outcome) => {
      sliceOfTask.delete(task);
      post(
        outcome.ok
          ? { type: 'result', id, ok: true, value: outcome.value }
          : { type: 'result', id, ok: false, error: outcome.error },
      );
    }),
  );
}

port.on('message', (message: HostToWorker) => {
  switch (message.type) {
    case 'init':
      init(message).catch((error: unknown) =>
        post({
          type: 'activateFailed',
          error: { reason: 'invalid', message: `the sandbox did not start: ${String(error)}` },
        }),
      );
      return;
    case 'call':
      return run(message.id, message.task, message.sliceMs, message.op);
    case 'reply': {
      const entry = waiting.get(message.id);
      if (!entry) return;
      waiting.delete(message.id);
      const outcome = message.ok
        ? { ok: true as const, value: message.value }
        : { ok: false as const, error: message.error };
      return settleHostCall(entry.deferred, entry.task, entry.sliceMs, outcome);
    }
    case 'settings':
      return enter(0, defaultSliceMs, () => invoke('settings', message.values, undefined, () => undefined));
    case 'folders':
      return enter(0, defaultSliceMs, () =>
        invoke('folders', { downloadDir: message.downloadDir }, undefined, () => undefined),
      );
    case 'ping':
      return post({ type: 'pong', id: message.id });
  }
});
