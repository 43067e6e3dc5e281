import type { Checksum } from '../../../src-common/contract';
import { batchBytes, giveBack, isBatch, takeBuffer } from './batch-pool';
import type { HashAlgorithm } from './hash-protocol';
import { defaultHashWorkerFile, HashThread, type HashStream } from './hash-thread';
import type { PartFile } from './part-file';

/**
 * Batches of one download at the hashing thread and not yet hashed. Beyond this the
 * writers wait, so a slow hash bounds memory instead of queueing the file. @default 4
 */
const maxInFlight = 4;

export interface DigestOptions {
  /** The hashing thread's entry. @default hash-worker beside this module or the bundle */
  workerFile?: string;
  /** Hashing failed (the thread died, a read-back failed); called once. */
  onFailure?(error: unknown): void;
}

/**
 * SHA-256 (and the user's checksum, when set) of the file, computed on the hashing
 * thread in file order while the download runs. A batch that lands right where the
 * hashed prefix ends is handed over as is (its memory transferred, not copied); bytes
 * that landed ahead of it (other connections' segments, a resumed file) are read back
 * from the part file as soon as the prefix reaches them. At the end only what is not
 * hashed yet is read, usually nothing.
 */
export class FileDigest {
  /** Bytes from 0 handed to the thread, or claimed by a read-back that will hand them. */
  private queued = 0;
  /** Hand-overs in file order; each link runs after the one before it. */
  private chain: Promise<void> = Promise.resolve();
  private stream: HashStream | null = null;
  /** Bumped when the hashed bytes are thrown away: late work of the old file is dropped. */
  private generation = 0;
  private inFlight = 0;
  private roomWaiters: (() => void)[] = [];
  private failure: unknown = null;
  private readonly algorithms: HashAlgorithm[];

  constructor(
    private readonly checksum: Checksum | undefined,
    private readonly options: DigestOptions = {},
  ) {
    this.algorithms = checksum && checksum.algorithm !== 'sha256' ? ['sha256', checksum.algorithm] : ['sha256'];
  }

  /** The stream of the current generation, opened on first use. */
  private live(): HashStream {
    if (this.stream) return this.stream;
    const generation = this.generation;
    const thread = HashThread.for(this.options.workerFile ?? defaultHashWorkerFile());
    this.stream = thread.open(this.algorithms, {
      hashed: () => {
        if (generation === this.generation) this.release();
      },
      failed: (error) => this.fail(error, generation),
    });
    return this.stream;
  }

  private release(): void {
    this.inFlight -= 1;
    if (this.inFlight < maxInFlight) for (const wake of this.roomWaiters.splice(0)) wake();
  }

  private fail(error: unknown, generation: number): void {
    if (generation !== this.generation || this.failure !== null) return;
    this.failure = error;
    for (const wake of this.roomWaiters.splice(0)) wake();
    this.options.onFailure?.(error);
  }

  /** Waits while the thread is far behind; null when a batch may be handed over now. */
  room(): Promise<void> | null {
    if (this.inFlight < maxInFlight || this.failure !== null) return null;
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  private enqueue(link: () => void | Promise<void>): void {
    const generation = this.generation;
    this.chain = this.chain.then(link);
    this.chain.catch((error: unknown) => this.fail(error, generation));
  }

  /** Sends a whole-batch buffer to the thread (or back to the pool when it is moot). */
  private post(batch: Buffer, length: number, generation: number): void {
    if (generation !== this.generation || this.failure !== null) {
      giveBack(batch);
      return;
    }
    this.inFlight += 1;
    this.live().update(batch.buffer as ArrayBuffer, length);
  }

  /**
   * Offers bytes just written at `position`. Used only when they continue the hashed
   * prefix; returns true when it took `bytes`' memory (a whole batch buffer), which
   * then returns to the pool once hashed.
   */
  wrote(bytes: Buffer, position: number): boolean {
    if (position !== this.queued || bytes.length === 0 || this.failure !== null) return false;
    this.live();
    this.queued += bytes.length;
    const generation = this.generation;
    if (isBatch(bytes)) {
      this.enqueue(() => this.post(bytes, bytes.length, generation));
      return true;
    }
    for (let from = 0; from < bytes.length; from += batchBytes) {
      const batch = takeBuffer();
      const length = bytes.copy(batch, 0, from, Math.min(bytes.length, from + batchBytes));
      this.enqueue(() => this.post(batch, length, generation));
    }
    return false;
  }

  /**
   * Bytes [0, `end`) are in the part file: whatever of them is not hashed yet is read
   * back and hashed, in the background and in file order.
   */
  follow(part: PartFile, end: number): void {
    if (end <= this.queued || this.failure !== null) return;
    // Bound to the thread now: one that dies from here on fails this file.
    this.live();
    const from = this.queued;
    // Claimed now: a batch landing at `end` meanwhile is queued after this read-back.
    this.queued = end;
    const generation = this.generation;
    this.enqueue(() => this.readBack(part, from, end, generation));
  }

  private async readBack(part: PartFile, from: number, end: number, generation: number): Promise<void> {
    for (let at = from; at < end;) {
      const waiting = this.room();
      if (waiting) await waiting;
      if (generation !== this.generation || this.failure !== null) return;
      const batch = takeBuffer();
      const read = await part.read(batch.subarray(0, Math.min(batchBytes, end - at)), at).catch((error: unknown) => {
        giveBack(batch);
        throw error;
      });
      if (read === 0) {
        giveBack(batch);
        throw new Error(`The partial file ends at ${at} of ${end} bytes.`);
      }
      this.post(batch, read, generation);
      at += read;
    }
  }

  /** Forgets every hashed byte, after the file was emptied (or before it is closed). */
  reset(): void {
    if (this.queued === 0 && this.stream === null && this.failure === null) return;
    this.stream?.close();
    this.stream = null;
    this.generation += 1;
    this.queued = 0;
    this.inFlight = 0;
    this.failure = null;
    this.chain = Promise.resolve();
    for (const wake of this.roomWaiters.splice(0)) wake();
  }

  /** Hashes the rest of the file from disk and returns the hex digests. */
  async finish(part: PartFile, total: number): Promise<{ sha256: string; checksum: string | null }> {
    this.follow(part, total);
    await this.chain;
    if (this.failure !== null) throw this.failure;
    const stream = this.live();
    this.stream = null;
    this.generation += 1;
    const [sha256 = '', extra] = await stream.digest();
    const checksum = this.checksum ? (extra ?? sha256) : null;
    return { sha256, checksum };
  }
}
