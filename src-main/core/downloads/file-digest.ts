import { createHash, type Hash } from 'node:crypto';
import type { Checksum } from '../../../src-preload/contract';
import type { PartFile } from './part-file';

/** Bytes read per step when hashing what is on disk: memory stays flat. */
const readSize = 1 << 20;

/**
 * SHA-256 (and the user's checksum, when set) over the file. Bytes written in order
 * from the start are hashed as they arrive, so a plain single-connection download is
 * never read back; whatever the prefix does not cover is read from disk at the end.
 */
export class FileDigest {
  private covered = 0;
  private sha256: Hash = createHash('sha256');
  private extra: Hash | null;

  constructor(private readonly checksum: Checksum | undefined) {
    this.extra = checksum && checksum.algorithm !== 'sha256' ? createHash(checksum.algorithm) : null;
  }

  /** Offers bytes just written at `position`; only the contiguous prefix is used. */
  wrote(chunks: readonly Buffer[], position: number): void {
    if (position !== this.covered) return;
    for (const chunk of chunks) {
      this.sha256.update(chunk);
      this.extra?.update(chunk);
      this.covered += chunk.length;
    }
  }

  /** Starts over, after the file was truncated. */
  reset(): void {
    this.covered = 0;
    this.sha256 = createHash('sha256');
    this.extra = this.checksum && this.checksum.algorithm !== 'sha256' ? createHash(this.checksum.algorithm) : null;
  }

  /** Hashes the rest of the file from disk and returns the hex digests. */
  async finish(part: PartFile, total: number): Promise<{ sha256: string; checksum: string | null }> {
    const buffer = Buffer.allocUnsafe(readSize);
    while (this.covered < total) {
      const read = await part.read(buffer.subarray(0, Math.min(readSize, total - this.covered)), this.covered);
      if (read === 0) throw new Error(`The partial file ends at ${this.covered} of ${total} bytes.`);
      // Hash.update copies what it needs, so the buffer can be reused next round.
      this.wrote([buffer.subarray(0, read)], this.covered);
    }
    const sha256 = this.sha256.digest('hex');
    const checksum = this.checksum ? (this.extra ? this.extra.digest('hex') : sha256) : null;
    return { sha256, checksum };
  }
}
