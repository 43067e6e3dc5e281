import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CallOp, HostToWorker, Registration, WorkerFailure, WorkerInit, WorkerToHost } from './protocol';

/** A failure of sandboxed code or of its worker, with why it stopped. */
export class SandboxFailure extends Error {
  constructor(
    readonly reason: WorkerFailure['reason'] | 'timeout' | 'crashed',
    message: string,
  ) {
    super(message);
    this.name = 'SandboxFailure';
  }
}

/**
 * Where the worker entry is: beside this file when running from source (tests, tsx), or
 * `plugin-worker.js` next to the bundle electron-vite emitted (out/main).
 */
export function defaultWorkerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return join(dirname(here), 'plugin-worker.ts');
  for (const dir of [dirname(here), dirname(dirname(here))]) {
    const candidate = join(dir, 'plugin-worker.js');
    if (existsSync(candidate)) return candidate;
  }
  return join(dirname(here), 'plugin-worker.js');
}

export interface WorkerClientOptions {
  workerFile: string;
  init: Omit<WorkerInit, 'type' | 'control'>;
  /** How long to wait for a stuck worker to answer a ping before it is terminated. */
  graceMs: number;
  /** How long the worker may take to start and run activate. */
  startMs: number;
  onRegister(registration: Registration): void;
  /** Answers a host call; a rejection goes back into the sandbox as an Error. */
  onHostCall(method: string, args: unknown[], reply: boolean): Promise<unknown> | unknown;
  /** The worker died or was terminated; every call in flight has been rejected. */
  onExit(reason: string): void;
}

interface InFlight {
  resolve(value: unknown): void;
  reject(error: SandboxFailure): void;
}

/** The main thread's side of one plugin worker: calls with deadlines, interrupts, crashes. */
export class WorkerClient {
  private readonly worker: Worker;
  private readonly control = new Int32Array(new SharedArrayBuffer(4));
  private readonly inFlight = new Map<number, InFlight>();
  private readonly pongs = new Map<number, () => void>();
  private nextId = 1;
  private exited = false;
  private exitReason = 'the plugin was stopped';
  readonly ready: Promise<void>;

  constructor(private readonly options: WorkerClientOptions) {
    const file = options.workerFile;
    // Under vitest or tsx the entry is TypeScript: a small bootstrap registers tsx in the
    // worker first (Node 20 does not pass `--import` loaders on to workers). The built app
    // runs plugin-worker.js directly.
    const typescript = file.endsWith('.ts');
    this.worker = new Worker(typescript ? tsxBootstrap(file) : file, {
      eval: typescript,
      // QuickJS keeps its heap in wasm memory (limited by setMemoryLimit); this bounds the rest.
      resourceLimits: { maxOldGenerationSizeMb: 256, stackSizeMb: 4 },
      stdout: false,
      stderr: false,
    });
    this.worker.unref();
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new SandboxFailure('timeout', `did not start within ${Math.round(options.startMs / 1000)} s`));
        // terminate() never rejects; the start's own failure is what callers see.
        void this.terminate('it did not start in time');
      }, options.startMs);
      timer.unref();
      this.inFlight.set(0, {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
    this.ready.catch(() => undefined);
    this.worker.on('message', (message: WorkerToHost) => {
      try {
        this.receive(message);
      } catch (error) {
        // A message the host cannot handle is the plugin's doing (it runs beside the
        // sandbox's own code): the plugin stops, the process goes on.
        void this.terminate(`it sent a message the host could not handle (${(error as Error).message})`);
      }
    });
    this.worker.on('error', (error) => this.handleExit(`its worker crashed: ${error.message}`));
    this.worker.on('exit', (code) => this.handleExit(`its worker exited (code ${code})`));
    this.post({ ...options.init, type: 'init', control: this.control.buffer });
  }

  get alive(): boolean {
    return !this.exited;
  }

  private post(message: HostToWorker): void {
    if (!this.exited) this.worker.postMessage(message);
  }

  private receive(message: WorkerToHost): void {
    switch (message.type) {
      case 'ready':
        return this.settle(0, { ok: true, value: null });
      case 'activateFailed':
        return this.settle(0, { ok: false, error: new SandboxFailure(message.error.reason, message.error.message) });
      case 'register':
        return this.options.onRegister(message.registration);
      case 'result':
        this.settle(
          message.id,
          message.ok
            ? { ok: true, value: message.value }
            : { ok: false, error: new SandboxFailure(message.error.reason, message.error.message) },
        );
        return;
      case 'pong':
        this.pongs.get(message.id)?.();
        return;
      case 'hostCall':
        return this.answer(message.id, message.method, message.args);
    }
  }

  private answer(id: number, method: string, args: unknown[]): void {
    Promise.resolve()
      .then(() => this.options.onHostCall(method, args, id !== 0))
      .then(
        (value) => id !== 0 && this.post({ type: 'reply', id, ok: true, value: value ?? null }),
        (error: unknown) =>
          id !== 0 &&
          this.post({ type: 'reply', id, ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
  }

  private settle(id: number, outcome: { ok: true; value: unknown } | { ok: false; error: SandboxFailure }): void {
    const entry = this.inFlight.get(id);
    if (!entry) return;
    this.inFlight.delete(id);
    if (outcome.ok) entry.resolve(outcome.value);
    else entry.reject(outcome.error);
  }

  /**
   * Runs `op` in the sandbox. `sliceMs` bounds each uninterrupted stretch of CPU; `wallMs`
   * (optional) bounds the whole call, after which it fails and a stuck worker is replaced.
   */
  call(op: CallOp, task: number, sliceMs: number, wallMs?: number): Promise<unknown> {
    if (this.exited) return Promise.reject(new SandboxFailure('crashed', this.exitReason));
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => timer && clearTimeout(timer);
      this.inFlight.set(id, {
        resolve: (value) => {
          done();
          resolve(value);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
      if (wallMs !== undefined) {
        timer = setTimeout(() => {
          this.settle(id, {
            ok: false,
            error: new SandboxFailure('timeout', `did not finish within ${formatSeconds(wallMs)} and was stopped`),
          });
          this.interrupt(task);
        }, wallMs);
        timer.unref();
      }
      this.post({ type: 'call', id, task, sliceMs, op });
    });
  }

  /** Interrupts `task` if it is running; terminates the worker if it does not come back. */
  interrupt(task: number): void {
    if (this.exited) return;
    Atomics.store(this.control, 0, task);
    const id = this.nextId++;
    const timer = setTimeout(() => {
      this.pongs.delete(id);
      // terminate() never rejects; the calls in flight fail with the reason.
      void this.terminate('it stopped answering and was restarted');
    }, this.options.graceMs);
    timer.unref();
    this.pongs.set(id, () => {
      clearTimeout(timer);
      this.pongs.delete(id);
    });
    this.post({ type: 'ping', id });
  }

  updateSettings(values: Record<string, unknown>): void {
    this.post({ type: 'settings', values });
  }

  updateFolders(downloadDir: string): void {
    this.post({ type: 'folders', downloadDir });
  }

  terminate(reason = 'the plugin was stopped'): Promise<void> {
    this.handleExit(reason);
    return this.worker.terminate().then(
      () => undefined,
      () => undefined, // an already-gone thread: nothing left to stop
    );
  }

  private handleExit(reason: string): void {
    if (this.exited) return;
    this.exited = true;
    this.exitReason = reason;
    for (const [id] of this.inFlight) this.settle(id, { ok: false, error: new SandboxFailure('crashed', reason) });
    for (const pong of this.pongs.values()) pong();
    this.options.onExit(reason);
  }
}

function tsxBootstrap(file: string): string {
  // The ESM entry of tsx's register API (its `exports` map, `./esm/api` → import).
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  return `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); });`;
}

export function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
