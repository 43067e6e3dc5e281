import { Worker } from 'node:worker_threads';
import type { HashAlgorithm } from './file-digest';

/** Slots of the shared control block (Int32 view: the sequence; Float64 view: offsets). */
const seqSlot = 0;
const stopSlot = 1;
/** Float64 slots (8 bytes each, after the two Int32 slots). */
const targetSlot = 1;
const endSlot = 2;
const hashedSlot = 3;
const controlBytes = 32;

/** Bytes read from the page cache per read in the thread. @default 1 MiB */
const readBytes = 1024 * 1024;

/**
 * The thread: reads the part file through its own descriptor, in file order, up to the
 * target the main thread publishes once bytes have landed, and hashes what it read. It
 * sleeps in Atomics.wait on the sequence, so the main thread pays one atomic add and one
 * wake per landed batch, no message and no allocation. Plain CommonJS so that it runs
 * as it is, in the bundle, under tsx or in Electron.
 */
const source = `
const { workerData, parentPort } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { path, algorithms, control, readBytes } = workerData;
const seq = new Int32Array(control, 0, 2);
const at = new Float64Array(control);
const hashes = algorithms.map((a) => createHash(a));
const buffer = Buffer.allocUnsafeSlow(readBytes);
let fd = -1;
try {
  fd = openSync(path, 'r');
  let hashed = 0;
  for (;;) {
    const seen = Atomics.load(seq, ${seqSlot});
    if (Atomics.load(seq, ${stopSlot}) !== 0) break;
    const target = at[${targetSlot}];
    if (hashed < target) {
      const read = readSync(fd, buffer, 0, Math.min(readBytes, target - hashed), hashed);
      if (read === 0) throw new Error('The partial file ends at ' + hashed + ' of ' + target + ' bytes.');
      const bytes = buffer.subarray(0, read);
      for (const hash of hashes) hash.update(bytes);
      hashed += read;
      at[${hashedSlot}] = hashed;
      continue;
    }
    const end = at[${endSlot}];
    if (end >= 0 && hashed >= end) {
      closeSync(fd);
      fd = -1;
      parentPort.postMessage({ hashed, digests: hashes.map((h) => h.digest('hex')) });
      break;
    }
    Atomics.wait(seq, ${seqSlot}, seen);
  }
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
} finally {
  if (fd >= 0) closeSync(fd);
}
`;

/** Threads hashing at once in this process; a download past this hashes on the main thread. */
const maxThreads = 2;
let threads = 0;

export interface HashResult {
  hashed: number;
  digests: string[];
}

export interface HashThreadOptions {
  /** The thread failed (a read error, a file shorter than published, a crash); called once. */
  onFailure(error: unknown): void;
}

/**
 * One download's hashing thread. Started when a large download first has landed bytes;
 * ends by itself after the finish, or when stopped. The file itself is the buffer between
 * the threads: the main thread never copies or holds a byte for it, and memory stays one
 * read buffer however far the thread falls behind.
 */
export class HashThread {
  private readonly control = new SharedArrayBuffer(controlBytes);
  private readonly seq = new Int32Array(this.control, 0, 2);
  private readonly at = new Float64Array(this.control);
  private readonly worker: Worker;
  private result: Promise<HashResult>;
  private done = false;

  /** Null when too many threads hash already. */
  static start(path: string, algorithms: readonly HashAlgorithm[], options: HashThreadOptions): HashThread | null {
    if (threads >= maxThreads) return null;
    return new HashThread(path, algorithms, options);
  }

  private constructor(path: string, algorithms: readonly HashAlgorithm[], options: HashThreadOptions) {
    this.at[endSlot] = -1;
    threads += 1;
    this.worker = new Worker(source, {
      eval: true,
      // No loaders or profilers of the parent: the thread needs Node's own modules only.
      execArgv: [],
      workerData: { path, algorithms, control: this.control, readBytes },
      resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 },
      stdout: false,
      stderr: false,
    });
    this.worker.unref();
    this.result = new Promise<HashResult>((resolve, reject) => {
      const failed = (error: unknown): void => {
        if (this.done) return;
        this.end();
        reject(error instanceof Error ? error : new Error(String(error)));
        options.onFailure(error);
      };
      this.worker.on('message', (message: HashResult | { error: string }) => {
        if ('error' in message) return failed(new Error(`Hashing the file failed: ${message.error}`));
        this.end();
        resolve(message);
      });
      this.worker.on('error', (error) => failed(new Error(`The hashing thread failed: ${error.message}`)));
      this.worker.on('exit', (code) => failed(new Error(`The hashing thread stopped (exit code ${code}).`)));
    });
    // Seen through onFailure; the promise is awaited only by the finish.
    this.result.catch(() => undefined);
  }

  private end(): void {
    if (this.done) return;
    this.done = true;
    threads -= 1;
  }

  private wake(): void {
    Atomics.add(this.seq, seqSlot, 1);
    Atomics.notify(this.seq, seqSlot);
  }

  /** Bytes hashed so far. */
  get hashed(): number {
    return this.at[hashedSlot]!;
  }

  /** Bytes [0, `target`) are in the part file. */
  advance(target: number): void {
    if (target <= this.at[targetSlot]!) return;
    this.at[targetSlot] = target;
    this.wake();
  }

  /** Hashes up to `total` (bytes that must be in the file) and resolves with the digests. */
  finish(total: number): Promise<HashResult> {
    this.at[targetSlot] = total;
    this.at[endSlot] = total;
    this.wake();
    return this.result;
  }

  /** Stops the thread; its result and failures are ignored from now on. */
  stop(): void {
    const running = !this.done;
    this.end();
    Atomics.store(this.seq, stopSlot, 1);
    this.wake();
    if (running) void this.worker.terminate();
  }
}
