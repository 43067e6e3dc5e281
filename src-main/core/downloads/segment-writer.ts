import { batchBytes, giveBack, takeBuffer } from './batch-pool';
import type { FileDigest } from './file-digest';
import type { PartFile } from './part-file';
import type { Segment } from './segments';

export { batchBytes } from './batch-pool';

/**
 * Writes one connection may have at the disk while it keeps reading. Reading never waits
 * for each write (that halves throughput on a fast link) yet memory stays bounded:
 * at most this many batches per connection. @default 4
 */
const maxQueuedWrites = 4;

const ignore = (): undefined => undefined;

/**
 * Turns a connection's bytes into positioned writes of its segment. Writes overlap with
 * reading, but the segment's `pos` (and the file digest) only move past a batch once it
 * and every batch before it have landed: `pos` never counts a byte still in the air.
 */
export class SegmentWriter {
  private batch: Buffer | null = null;
  private gathered = 0;
  /** File offset of the first gathered byte. */
  private at: number;
  /** One promise per queued write, oldest first; each settles after those before it. */
  private queue: Promise<void>[] = [];
  private landed: Promise<void> = Promise.resolve();

  constructor(
    private readonly part: PartFile,
    private readonly digest: FileDigest,
    private readonly segment: Segment,
    private readonly onLanded: (bytes: number) => void,
  ) {
    this.at = segment.pos;
  }

  /** Bytes received but not yet handed to the disk. */
  get pending(): number {
    return this.gathered;
  }

  /**
   * Copies `chunk` into the current batch; writes full batches as it goes. Copying keeps
   * memory flat: the socket's buffers die young instead of waiting for the disk, and the
   * batch goes to the disk (and then to the hashing thread) as one buffer.
   */
  async add(chunk: Buffer): Promise<void> {
    let from = 0;
    while (from < chunk.length) {
      this.batch ??= takeBuffer();
      const copied = chunk.copy(this.batch, this.gathered, from);
      this.gathered += copied;
      from += copied;
      if (this.gathered === batchBytes) await this.flush();
    }
  }

  /**
   * Hands the gathered bytes to the disk. Resolves at once unless too many writes are
   * queued, then after the oldest has landed; rejects when a write failed.
   */
  async flush(): Promise<void> {
    if (this.batch && this.gathered > 0) {
      const { batch, at, segment, digest, onLanded } = this;
      const bytes = batch.subarray(0, this.gathered);
      const end = at + this.gathered;
      this.batch = null;
      this.gathered = 0;
      this.at = end;
      const write = this.part.write([bytes], at);
      write.catch(ignore);
      // In file order: a later batch that lands first waits for the earlier ones.
      this.landed = Promise.all([this.landed, write]).then(() => {
        segment.pos = Math.max(segment.pos, end);
        if (!digest.wrote(bytes, at)) giveBack(batch);
        onLanded(bytes.length);
      });
      this.landed.catch(ignore);
      this.queue.push(this.landed);
    }
    while (this.queue.length > maxQueuedWrites) await this.queue.shift();
    // The hashing thread is far behind: wait rather than pile batches up for it.
    const room = this.digest.room();
    if (room) await room;
  }

  /** Writes what is gathered and waits until every write has landed. */
  async drain(): Promise<void> {
    await this.flush();
    this.queue = [];
    await this.landed;
  }
}
