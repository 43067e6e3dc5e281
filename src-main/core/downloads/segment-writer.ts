import { cutChunks, directAlignment } from './aligned-slabs';
import { releaseChunks } from './chunk-release';
import type { FileDigest } from './file-digest';
import type { PartBytes } from './part-file';
import type { Segment } from './segments';

/** Bytes gathered before one positioned write, when the caller does not say. @default 512 KiB */
export const batchBytes = 512 * 1024;

/**
 * The batch of one connection among `connections`: few write calls when one or two
 * connections carry the file (2 MiB each), a bounded total when many share it (4 MiB
 * over all, at least 256 KiB each). A slow link writes sooner (`batchAgeMs`).
 */
export function batchBytesFor(connections: number): number {
  const share = Math.floor((4 * 1024 * 1024) / Math.max(1, connections));
  return Math.min(2 * 1024 * 1024, Math.max(256 * 1024, share));
}

/**
 * Writes one connection may have at the disk while it keeps reading, when the caller does
 * not say. Reading never waits for each write (that halves throughput on a fast link) yet
 * memory stays bounded: a connection holds at most this many batches plus the one it
 * gathers. @default 2
 */
const maxQueuedWrites = 2;

/**
 * The writes one connection among `connections` may have queued: three when one or two
 * carry the file (2 MiB batches, the hash's written directly, see part-file.ts), where
 * with two the gigabyte's reader waited 0.6 s for the disk and with three 0.2-0.3 s less,
 * CPU the same; two when more share it, whose memory the peak row counts
 * (docs/performance.md).
 */
export function queuedWritesFor(connections: number): number {
  return connections <= 2 ? 3 : maxQueuedWrites;
}

/**
 * Gathered bytes are written at the latest this long after the first of them came, even
 * when no more come: a connection waiting on a slow or bursty server does not hold what
 * it already received, which a killed process would fetch again (a burst goes sooner, see
 * quietBytes). On a fast link the byte limit comes first. @default 5
 */
export const batchAgeMs = 5;

/**
 * A batch of at least this many bytes is written before its age once nothing more came
 * for half of `quietMs`, looked at `quietMs` after its first byte and every `quietMs`
 * after: a server that paces each connection sends it bursts (256 KiB every 25 ms at 10
 * MiB/s), and each burst waited out the whole age gathered, bytes a kill then fetched
 * again. A smaller batch waits for its age. @default 64 KiB
 */
const quietBytes = 64 * 1024;
/** @default 1 */
const quietMs = 1;

const ignore = (): undefined => undefined;

export interface SegmentWriterOptions {
  /** Bytes gathered before a write. @default batchBytes */
  batch?: number;
  /** How long gathered bytes may wait for more. @default batchAgeMs */
  ageMs?: number;
  /** Writes queued before the reader waits. @default 2 */
  queue?: number;
  /**
   * The chunks are the socket's own, nobody else's to read: freed once written, or once
   * the part file copied them (`PartBytes.writeCopy`). @default false
   */
  release?: boolean;
}

/**
 * Turns a connection's bytes into positioned writes of its segment. The socket's chunks
 * are written as they arrived, a batch of them per `writev` (a full batch up to a whole
 * block of the file, see `add`), and hashed in the same pass (while the write runs) when
 * they continue the file's hashed prefix: no copy, no allocation per chunk. Writes
 * overlap with reading, but the segment's `pos` only moves past a batch once it and
 * every batch before it have landed: `pos` never counts a byte still in the air.
 */
export class SegmentWriter {
  private chunks: Buffer[] = [];
  private gathered = 0;
  /** File offset of the first gathered byte. */
  private at: number;
  /** One promise per write not yet settled, oldest first; each settles after those before it. */
  private queue: Promise<void>[] = [];
  /** Bytes of the writes in `queue`. */
  private queuedBytes = 0;
  private landed: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  /** When the batch's first byte, and its last, came (ms, `performance.now()`). */
  private bornAt = 0;
  private lastAt = 0;
  private readonly batch: number;
  private readonly ageMs: number;
  private readonly maxQueued: number;
  private readonly release: boolean;
  /**
   * The first write that failed. The next chunk is refused with it: a write that fails at
   * once (a full disk) leaves the queue empty, and the connection would otherwise read the
   * rest of its piece, the whole file on one connection, for nothing.
   */
  private failed: { error: unknown } | null = null;

  constructor(
    private readonly part: PartBytes,
    private readonly digest: FileDigest,
    private readonly segment: Segment,
    private readonly onLanded: (bytes: number) => void,
    options: SegmentWriterOptions = {},
  ) {
    this.at = segment.pos;
    this.batch = options.batch ?? batchBytes;
    this.ageMs = options.ageMs ?? batchAgeMs;
    this.maxQueued = options.queue ?? maxQueuedWrites;
    this.release = options.release ?? false;
  }

  /** Bytes received but not yet handed to the disk. */
  get pending(): number {
    return this.gathered;
  }

  /**
   * Takes `chunk`, which must not change afterwards (a socket's chunks never do), and with
   * `release` must not be read by anyone else once written (it may be freed then). Null
   * when the caller may go on reading at once; else a promise to wait for first (too many
   * writes are queued, whether this batch filled or batches went by their age).
   */
  add(chunk: Buffer): Promise<void> | null {
    if (this.failed) return Promise.reject(this.failed.error);
    if (chunk.length === 0) return null;
    const now = performance.now();
    if (this.gathered === 0 && this.timer === null) this.begin(now);
    this.lastAt = now;
    this.chunks.push(chunk);
    this.gathered += chunk.length;
    // Batches written by their age (see overdue) count too: a connection whose bytes come
    // slower than a batch per `ageMs` never fills one, and would otherwise queue writes
    // without bound while the disk is behind (sixteen at 48 MiB/s each: 134 queued).
    if (this.gathered < this.batch) return this.room();
    // Full: written up to the last whole block it reaches, so that with direct writes the
    // next batch starts on a block and each is one aligned write (see part-file.ts), with
    // no partial block through the page cache between two of them.
    this.write(directAlignment);
    return this.room();
  }

  /** A batch's first bytes came at `now`: its age counts from here. */
  private begin(now: number): void {
    this.bornAt = now;
    this.wait(Math.min(quietMs, this.ageMs));
  }

  private wait(ms: number): void {
    this.timer = setTimeout(this.overdue, ms);
    this.timer.unref();
  }

  /**
   * The batch is as old as its age, or a burst that stopped coming (see quietBytes): it
   * goes to the disk. The bytes were already counted against the write queue's bound, so
   * no wait is imposed here; the next `add` that finds the queue full makes the reader wait.
   */
  private readonly overdue = (): void => {
    this.timer = null;
    const now = performance.now();
    const age = now - this.bornAt;
    const large = this.gathered >= quietBytes;
    if ((large && now - this.lastAt >= quietMs / 2) || age >= this.ageMs) {
      this.write(1);
      return;
    }
    this.wait(large ? Math.min(quietMs, this.ageMs - age) : this.ageMs - age);
  };

  /**
   * Hands the gathered bytes to the disk. Null unless too many writes are queued; then
   * resolves once the oldest has landed, or rejects when a write failed.
   */
  flush(): Promise<void> | null {
    this.write(1);
    return this.room();
  }

  /** Null while the queue has room; else resolves once it has. */
  private room(): Promise<void> | null {
    return this.full() ? this.makeRoom() : null;
  }

  /**
   * More writes at the disk than `maxQueued`, holding more than `maxQueued` whole batches:
   * full batches wait as they always did, one write over the count (the count the large
   * file's reader was tuned with, see queuedWritesFor); smaller ones written for their age
   * wait once they hold that much memory. Counted in writes alone, a connection of small
   * batches (a server 25 ms away sending 20 MiB/s: about 100 KiB every 5 ms) would stop
   * reading for a sync of the disk (26-35 ms, see docs/performance.md) with a third of
   * that memory in use, and a paused connection that far away takes a round trip to come
   * back.
   */
  private full(): boolean {
    return this.queue.length > this.maxQueued && this.queuedBytes > this.maxQueued * this.batch;
  }

  /**
   * Writes the gathered bytes up to the last multiple of `block` in the file that they
   * reach; the bytes past it (fewer than `block`) stay, as the next batch's first.
   */
  private write(block: number): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const past = (this.at + this.gathered) % block;
    const carried = past < this.gathered ? past : 0;
    if (this.gathered > carried) {
      const { at, segment, onLanded } = this;
      const bytes = this.gathered - carried;
      const chunks = carried === 0 ? this.chunks : cutChunks(this.chunks, 0, bytes);
      const end = at + bytes;
      this.chunks = carried === 0 ? [] : cutChunks(this.chunks, bytes, this.gathered);
      this.gathered = carried;
      this.at = end;
      if (carried > 0) this.begin(performance.now());
      // A part file may copy a large batch into aligned memory for a direct write, which
      // leaves nothing in the page cache: only for bytes the hash will not read back.
      const readBack = this.digest.hashing && this.digest.fromMemory(at, bytes) === null;
      const copy = readBack ? null : (this.part.writeCopy?.(chunks, at) ?? null);
      const write = copy ?? this.part.write(chunks, at);
      write.catch((error: unknown) => void (this.failed ??= { error }));
      // Hashed while the write runs on the thread pool.
      const kept = this.digest.wrote(chunks, at);
      // Copied (or on disk) and hashed: their memory goes now, not at V8's next collection.
      const release = this.release && !kept;
      // Not before the call that delivered the last chunk is over: undici's parser, paused
      // by this reader, still cuts what it has not parsed from that chunk.
      if (release && copy) queueMicrotask(() => releaseChunks(chunks));
      // In file order: a later batch that lands first waits for the earlier ones.
      this.landed = Promise.all([this.landed, write]).then(() => {
        segment.pos = Math.max(segment.pos, end);
        if (release && !copy) releaseChunks(chunks);
        onLanded(bytes);
      });
      this.landed.catch(ignore);
      this.queue.push(this.landed);
      this.queuedBytes += bytes;
      // Writes settle in order, so the one settling is always the oldest in the queue.
      const settled = (): void => {
        void this.queue.shift();
        this.queuedBytes -= bytes;
      };
      this.landed.then(settled, settled);
    }
  }

  private async makeRoom(): Promise<void> {
    while (this.full()) await this.queue[0];
  }

  /** Writes what is gathered and waits until every write has landed. */
  async drain(): Promise<void> {
    await this.flush();
    await this.landed;
  }
}
