import { builtinUnderFlag } from '../runtime-flags';

type Transfer = (this: ArrayBuffer, length?: number) => ArrayBuffer;

/** Chunks smaller than this are left to the collector: too few bytes to matter. @default 16 KiB */
const minReleasedBytes = 16 * 1024;

let transfer: Transfer | null | undefined;

/**
 * `ArrayBuffer.prototype.transfer`: built in from Node 22 and in Electron; Node 20 has it
 * behind a V8 flag. Null when neither gives it: chunks are then freed by the collector.
 */
function findTransfer(): Transfer | null {
  const own = (ArrayBuffer.prototype as { transfer?: Transfer }).transfer;
  if (typeof own === 'function') return own;
  try {
    const found = builtinUnderFlag('harmony-rab-gsab-transfer', 'ArrayBuffer.prototype.transfer');
    return typeof found === 'function' ? (found as Transfer) : null;
  } catch {
    return null;
  }
}

/**
 * Frees the memory of socket chunks that are on disk now, at once, instead of when V8
 * next collects them. Node gives each socket read its own buffer (64 KiB on a fast link),
 * and V8 only collects once 32 MB of new buffers have piled up (docs/performance.md):
 * with eight connections that was up to 44 MB held by written chunks, and chunks caught
 * in flight by a collection were kept until a full one.
 *
 * Only a chunk that is the whole of its buffer is freed: a socket read of nothing but
 * body bytes, which nothing else can still be reading (a slice of a shared or pooled
 * buffer, or a read that also carried headers, is left alone). The caller passes only
 * chunks nobody keeps (not those the hash still waits for). A freed chunk reads as empty.
 */
export function releaseChunks(chunks: readonly Buffer[]): void {
  for (const chunk of chunks) {
    const { buffer } = chunk;
    if (chunk.byteOffset !== 0 || chunk.byteLength !== buffer.byteLength || chunk.byteLength < minReleasedBytes) {
      continue;
    }
    if (!(buffer instanceof ArrayBuffer)) continue;
    if (transfer === undefined) transfer = findTransfer();
    if (transfer === null) return;
    transfer.call(buffer, 0);
  }
}
