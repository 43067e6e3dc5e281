/**
 * The buffers that carry received bytes to the disk and then to the hashing thread.
 * Each owns its whole ArrayBuffer (never a slice of Node's shared pool), so it can be
 * transferred to the hashing thread without a copy and come back for reuse.
 */

/** Bytes gathered before one positioned write: few syscalls, bounded memory. @default 512 KiB */
export const batchBytes = 512 * 1024;

/** Batch buffers kept for reuse, across all connections and downloads. @default 16 */
const poolSize = 16;
const pool: Buffer[] = [];

/** A batch buffer, reused when possible. */
export function takeBuffer(): Buffer {
  return pool.pop() ?? Buffer.allocUnsafeSlow(batchBytes);
}

/** Returns a buffer to the pool; one that was transferred away (detached) is dropped. */
export function giveBack(buffer: Buffer): void {
  if (pool.length < poolSize && buffer.length === batchBytes) pool.push(buffer);
}

/** A buffer handed back by the hashing thread, as a batch again. */
export function reclaim(memory: ArrayBuffer): void {
  if (memory.byteLength === batchBytes) giveBack(Buffer.from(memory));
}

/** True when `bytes` is a view of a whole batch buffer, so its memory may be transferred. */
export function isBatch(bytes: Buffer): boolean {
  return (
    bytes.byteOffset === 0 && bytes.buffer.byteLength === batchBytes && !(bytes.buffer instanceof SharedArrayBuffer)
  );
}
