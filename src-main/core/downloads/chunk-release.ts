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

/** A mapped block this big, freed, raises glibc's thresholds to it (see primeAllocator). @default 4 MiB */
const primingBytes = 4 * 1024 * 1024;
let primed = false;

/**
 * Keeps glibc's malloc from giving memory back to the system and mapping it in again at
 * every turn of a download. By default it returns the free top of its heap once 128 KiB
 * lie there and maps each block of 128 KiB or more on its own: a gigabyte's 64 KiB socket
 * chunks, each freed once written, then cost 60,000-200,000 page faults: 0.4-0.7 s of the
 * kernel's time in the engine's 2.6-3.4 s of CPU for the gigabyte. glibc raises both by
 * itself when a mapped block larger than the mmap threshold is freed (that one to its
 * size, the trim threshold to twice it), as `MALLOC_MMAP_THRESHOLD_` and
 * `MALLOC_TRIM_THRESHOLD_` would, which a running process cannot set: one block of 4 MiB,
 * made and freed at once, does that (2 MiB was not enough). It keeps up to 8 MiB of freed
 * memory for reuse. With other allocators (macOS, Windows, musl, Electron's own) it is one
 * allocation, freed. Once per process.
 */
export function primeAllocator(): void {
  if (primed) return;
  primed = true;
  if (transfer === undefined) transfer = findTransfer();
  transfer?.call(new ArrayBuffer(primingBytes), 0);
}
