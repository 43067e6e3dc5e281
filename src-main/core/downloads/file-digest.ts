import { createHash, type Hash } from 'node:crypto';
import type { Checksum } from '../../../src-common/contract';
import type { PartBytes } from './part-file';

export type HashAlgorithm = 'sha256' | 'sha1' | 'md5';

/**
 * Bytes read back from the part file per read. Large enough that a read costs little
 * beside hashing it, small enough that one hash call holds the event loop under 1 ms.
 * @default 512 KiB
 */
const readBackBytes = 512 * 1024;

/** Bytes offered during a read-back that may wait in memory for it to reach them. @default 4 MiB */
const maxWaitingBytes = 4 * 1024 * 1024;

/** A batch offered while a read-back ran, to be hashed from memory when it gets there. */
interface Waiting {
  position: number;
  chunks: readonly Buffer[];
  bytes: number;
}

export interface DigestOptions {
  /** A read-back failed; called once. */
  onFailure?(error: unknown): void;
}

/**
 * SHA-256 (when fingerprints are on) and the user's checksum (when set) of the file, or
 * nothing at all when neither is wanted; computed on the main thread in
 * file order while the download runs. Bytes that continue the hashed prefix are hashed
 * from the memory they arrived in, in the same pass that hands them to the disk (SHA-256
 * costs about 0.8 s per GiB here, less than handing each batch to another thread did).
 * Bytes that landed ahead of the prefix (other connections' pieces, a resumed file) are
 * read back from the part file, through one reused buffer, once the prefix reaches them;
 * bytes offered meanwhile that continue where the read-back stops wait for it in memory,
 * so hashing returns to the write's pass instead of reading everything back from then on.
 */
export class FileDigest {
  private hashes: Hash[] | null = null;
  /** Bytes [0, hashed) are in the hashes. */
  private hashed = 0;
  /** Bytes [0, target) are known to be in the part file: the read-back goes this far. */
  private target = 0;
  private reading: Promise<void> | null = null;
  private scratch: Buffer | null = null;
  /** In file order, each starting where the one before ends. */
  private waiting: Waiting[] = [];
  private waitingBytes = 0;
  /** Bumped when the hashed bytes are thrown away: a read-back of the old file stops. */
  private generation = 0;
  private failure: unknown = null;
  private readonly algorithms: HashAlgorithm[];

  /**
   * `fingerprint`: SHA-256 of every file. A checksum in SHA-256 gives the fingerprint too;
   * with neither, nothing is hashed and nothing read back.
   */
  constructor(
    private readonly checksum: Checksum | undefined,
    fingerprint: boolean,
    private readonly options: DigestOptions = {},
  ) {
    const wanted = new Set<HashAlgorithm>(fingerprint ? ['sha256'] : []);
    if (checksum) wanted.add(checksum.algorithm);
    this.algorithms = [...wanted];
  }

  /** False when nothing is hashed: offered bytes are not looked at. */
  get hashing(): boolean {
    return this.algorithms.length > 0;
  }

  private live(): Hash[] {
    this.hashes ??= this.algorithms.map((algorithm) => createHash(algorithm));
    return this.hashes;
  }

  private update(bytes: Buffer): void {
    for (const hash of this.live()) hash.update(bytes);
    this.hashed += bytes.length;
  }

  private fail(error: unknown, generation: number): void {
    if (generation !== this.generation || this.failure !== null) return;
    this.failure = error;
    this.options.onFailure?.(error);
  }

  /**
   * Offers bytes about to be written at `position` (they must not change). They are
   * hashed now when they continue the hashed prefix; kept for a running read-back when
   * they continue where it stops; otherwise read back later, once landed. A write that
   * then fails fails the attempt, and the next attempt hashes what the part file holds.
   * True when it kept `chunks` (they must stay readable until the read-back takes them).
   */
  wrote(chunks: readonly Buffer[], position: number): boolean {
    if (!this.hashing) return false;
    let bytes = 0;
    for (const chunk of chunks) bytes += chunk.length;
    const from = this.fromMemory(position, bytes);
    if (from === 'now') {
      for (const chunk of chunks) this.update(chunk);
      if (this.hashed > this.target) this.target = this.hashed;
      return false;
    }
    if (from === null) return false;
    this.waiting.push({ position, chunks, bytes });
    this.waitingBytes += bytes;
    return true;
  }

  /**
   * How `bytes` bytes offered at `position` would be hashed: from memory now, from memory
   * once the running read-back gets there (`wait`), or null: read back from the part file
   * once they landed. Asked only while `hashing`.
   */
  fromMemory(position: number, bytes: number): 'now' | 'wait' | null {
    if (this.failure !== null) return null;
    if (this.reading === null) return position === this.hashed ? 'now' : null;
    const last = this.waiting.at(-1);
    if (position !== (last ? last.position + last.bytes : Math.max(this.target, this.hashed))) return null;
    return this.waitingBytes + bytes > maxWaitingBytes ? null : 'wait';
  }

  /**
   * Bytes [0, `end`) are in the part file: whatever of them is not hashed yet is read
   * back and hashed, in the background and in file order.
   */
  follow(part: PartBytes, end: number): void {
    if (!this.hashing) return;
    if (end > this.target) this.target = end;
    if (this.target <= this.hashed || this.reading !== null || this.failure !== null) return;
    const generation = this.generation;
    this.reading = this.readBack(part, generation)
      .catch((error: unknown) => this.fail(error, generation))
      .finally(() => {
        if (generation === this.generation) this.reading = null;
      });
  }

  private async readBack(part: PartBytes, generation: number): Promise<void> {
    // Its own reference: after a reset a read of the old file may still be filling it.
    const scratch = (this.scratch ??= Buffer.allocUnsafeSlow(readBackBytes));
    for (;;) {
      const at = this.hashed;
      const head = this.waiting[0];
      if (head && head.position <= at) {
        this.waiting.shift();
        this.waitingBytes -= head.bytes;
        // Read from disk already (it landed and the read-back went past it), or next.
        if (head.position === at) for (const chunk of head.chunks) this.update(chunk);
        continue;
      }
      if (at >= this.target) break;
      // Reads stop where a waiting batch starts: it is hashed from memory instead.
      const until = head ? Math.min(head.position, this.target) : this.target;
      const read = await part.read(scratch.subarray(0, Math.min(readBackBytes, until - at)), at);
      if (generation !== this.generation) return;
      if (read === 0) throw new Error(`The partial file ends at ${at} of ${this.target} bytes.`);
      this.update(scratch.subarray(0, read));
    }
    // Batches past a gap: read back once they land.
    this.waiting = [];
    this.waitingBytes = 0;
  }

  /** Forgets every hashed byte, after the file was emptied (or before it is closed). */
  reset(): void {
    this.generation += 1;
    this.hashes = null;
    this.hashed = 0;
    this.target = 0;
    this.reading = null;
    this.scratch = null;
    this.waiting = [];
    this.waitingBytes = 0;
    this.failure = null;
  }

  /**
   * Hashes the rest of the file from disk and returns the hex digests: `sha256` when it
   * was computed (fingerprints on, or a SHA-256 checksum), `checksum` when one was set.
   */
  async finish(part: PartBytes, total: number): Promise<{ sha256: string | null; checksum: string | null }> {
    if (!this.hashing) return { sha256: null, checksum: null };
    // Bytes past the end were hashed (the file turned out shorter): start over from disk.
    if (this.hashed > total) this.reset();
    this.target = Math.min(this.target, total);
    while (this.failure === null && this.hashed < total) {
      this.follow(part, total);
      if (!this.reading) break;
      await this.reading;
    }
    if (this.failure !== null) throw this.failure;
    if (this.hashed !== total) throw new Error(`Hashed ${this.hashed} of ${total} bytes.`);
    const digests = new Map(this.live().map((hash, i) => [this.algorithms[i]!, hash.digest('hex')]));
    this.reset();
    const checksum = this.checksum ? digests.get(this.checksum.algorithm)! : null;
    return { sha256: digests.get('sha256') ?? null, checksum };
  }
}
