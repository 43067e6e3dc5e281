import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { JobFailure } from '../jobs/runner';
import { reclaim } from './batch-pool';
import type { HashAlgorithm, HasherToHost, HostToHasher } from './hash-protocol';

/**
 * Where the hashing thread's entry is: beside this file when running from source
 * (tests, tsx), else `hash-worker.js` that electron-vite (or the bench's esbuild) emits
 * next to the bundle, which may itself sit in a `chunks/` folder below it.
 */
export function defaultHashWorkerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return join(dirname(here), 'hash-worker.ts');
  for (const dir of [dirname(here), dirname(dirname(here))]) {
    const candidate = join(dir, 'hash-worker.js');
    if (existsSync(candidate)) return candidate;
  }
  return join(dirname(here), 'hash-worker.js');
}

/**
 * Node 20 does not hand `--import tsx` on to a worker, so a TypeScript entry (tests
 * only) is required by a CommonJS one-liner after tsx's require hook is installed.
 */
function typescriptLoader(file: string): string {
  const api = createRequire(import.meta.url).resolve('tsx/cjs/api');
  return `require(${JSON.stringify(api)}).register(); require(${JSON.stringify(file)});`;
}

/** What a stream hears from the thread. */
export interface StreamListener {
  /** One update was hashed. */
  hashed(): void;
  /** The thread died: nothing more will be hashed. */
  failed(error: JobFailure): void;
}

interface Waiter {
  resolve(hex: string[]): void;
  reject(error: unknown): void;
}

/** One file's hashes inside the thread. Updates are hashed in the order they are sent. */
export class HashStream {
  constructor(
    private readonly thread: HashThread,
    readonly id: number,
  ) {}

  /** Hands `memory` over (it is detached here) to hash its first `length` bytes. */
  update(memory: ArrayBuffer, length: number): void {
    this.thread.send({ type: 'update', id: this.id, memory, length }, [memory], true);
  }

  /** The hex digests once every update sent before is hashed; the stream is then spent. */
  digest(): Promise<string[]> {
    return this.thread.digest(this.id);
  }

  close(): void {
    this.thread.close(this.id);
  }
}

/**
 * The main thread's side of the hashing thread. One thread serves every download of the
 * process; it holds the process open only while it has work, and when it dies every
 * open stream fails with a transient error (the next download starts a new thread).
 */
export class HashThread {
  private static readonly shared = new Map<string, HashThread>();
  private readonly worker: Worker;
  private readonly listeners = new Map<number, StreamListener>();
  private readonly waiters = new Map<number, Waiter>();
  private nextId = 1;
  /** Updates not yet hashed plus digests not yet answered. */
  private busy = 0;
  private dead: JobFailure | null = null;

  private constructor(readonly file: string) {
    const typescript = file.endsWith('.ts');
    this.worker = new Worker(typescript ? typescriptLoader(file) : file, {
      eval: typescript,
      // It only holds a few hash states; received bytes live outside the V8 heap.
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64 },
    });
    this.worker.unref();
    this.worker.on('message', (message: HasherToHost) => this.receive(message));
    this.worker.on('error', (error) => this.die(`it failed: ${error.message}`));
    this.worker.on('exit', (code) => this.die(`it exited with code ${code}`));
  }

  /** The live thread for `file`, started on first use or after the last one died. */
  static for(file: string): HashThread {
    const existing = HashThread.shared.get(file);
    if (existing && !existing.dead) return existing;
    const thread = new HashThread(file);
    HashThread.shared.set(file, thread);
    return thread;
  }

  /** Opens a stream; a dead thread answers with its failure. */
  open(algorithms: HashAlgorithm[], listener: StreamListener): HashStream {
    const id = this.nextId;
    this.nextId += 1;
    this.listeners.set(id, listener);
    this.send({ type: 'open', id, algorithms }, [], false);
    if (this.dead) queueMicrotask(() => listener.failed(this.dead!));
    return new HashStream(this, id);
  }

  /** Stops the thread, as a crash would (tests). */
  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  send(message: HostToHasher, transfer: ArrayBuffer[], counts: boolean): void {
    if (this.dead) return;
    if (counts) this.setBusy(1);
    this.worker.postMessage(message, transfer);
  }

  digest(id: number): Promise<string[]> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise<string[]>((resolve, reject) => {
      this.waiters.set(id, { resolve, reject });
      this.send({ type: 'digest', id }, [], true);
    });
  }

  close(id: number): void {
    this.listeners.delete(id);
    this.send({ type: 'close', id }, [], false);
  }

  /** Keeps the process alive exactly while work is in the thread. */
  private setBusy(delta: number): void {
    const before = this.busy;
    this.busy += delta;
    if (before === 0 && this.busy > 0) this.worker.ref();
    else if (before > 0 && this.busy === 0) this.worker.unref();
  }

  private receive(message: HasherToHost): void {
    this.setBusy(-1);
    if (message.type === 'hashed') {
      reclaim(message.memory);
      this.listeners.get(message.id)?.hashed();
      return;
    }
    const waiter = this.waiters.get(message.id);
    this.waiters.delete(message.id);
    this.listeners.delete(message.id);
    waiter?.resolve(message.hex);
  }

  private die(why: string): void {
    if (this.dead) return;
    this.dead = new JobFailure(
      'internal',
      `The thread that hashes downloads stopped (${why}); the download will be retried.`,
      {
        transient: true,
      },
    );
    if (this.busy > 0) this.worker.unref();
    this.busy = 0;
    for (const waiter of this.waiters.values()) waiter.reject(this.dead);
    this.waiters.clear();
    for (const listener of this.listeners.values()) listener.failed(this.dead);
    this.listeners.clear();
  }
}
