/**
 * What a direct write's position, length and memory must be multiples of: the page size
 * of the machines Haul runs on, and a multiple of every disk's logical block (512 B or
 * 4 KiB). @default 4 KiB
 */
export const directAlignment = 4096;

/** One slab of aligned memory. A multiple of `directAlignment`. @default 256 KiB */
export const slabBytes = 256 * 1024;

/** Slabs carved out of one piece of memory. @default 32 (8 MiB) */
const slabsPerArena = 32;

/**
 * How long slabs stay after the last one came back, for the next write: less than the
 * half second after which `haul serve` collects once it turns idle (idle-compact.ts), so
 * that collection frees them. @default 250
 */
const keepIdleMs = 250;

/** A WebAssembly page: the unit a WebAssembly.Memory is sized in. */
const wasmPage = 64 * 1024;

/** WebAssembly.Memory: Node and Electron have it, but this tsconfig (no DOM lib) does not declare it. */
const Memory = (
  globalThis as unknown as {
    WebAssembly: { Memory: new (descriptor: { initial: number; maximum: number }) => { buffer: ArrayBuffer } };
  }
).WebAssembly.Memory;

/**
 * Aligned memory for direct writes, lent out a slab at a time. JavaScript cannot ask for
 * an aligned buffer, and a Buffer's memory comes from malloc at any 16-byte boundary; but
 * V8 maps a WebAssembly.Memory's bytes from whole pages, so a slab carved from one at a
 * multiple of `directAlignment` is aligned. Were it not on some runtime, the kernel
 * refuses the write (EINVAL) and the part file writes through the page cache instead.
 *
 * The pool lets go of its memory once every slab has been idle `keepIdleMs`, and the
 * next collection frees it: nothing stays after the downloads are over.
 */
export class SlabPool {
  private free: Buffer[] = [];
  private lent = 0;
  private timer: NodeJS.Timeout | null = null;

  /** Slabs lent and not yet given back. */
  get inUse(): number {
    return this.lent;
  }

  /** Slabs held, lent or free. */
  get held(): number {
    return this.lent + this.free.length;
  }

  take(): Buffer {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.free.length === 0) this.grow();
    this.lent += 1;
    return this.free.pop()!;
  }

  /** Takes back slabs from `take`, whole again if they were cut. */
  give(slabs: readonly Buffer[]): void {
    this.lent -= slabs.length;
    for (const slab of slabs) this.free.push(Buffer.from(slab.buffer, slab.byteOffset, slabBytes));
    if (this.lent === 0 && this.timer === null) {
      this.timer = setTimeout(() => this.drop(), keepIdleMs);
      this.timer.unref();
    }
  }

  private grow(): void {
    const arena = new Memory({
      initial: (slabsPerArena * slabBytes) / wasmPage,
      maximum: (slabsPerArena * slabBytes) / wasmPage,
    });
    for (let i = 0; i < slabsPerArena; i++) this.free.push(Buffer.from(arena.buffer, i * slabBytes, slabBytes));
  }

  /** Lets go of every free slab; the collector frees their memory. */
  private drop(): void {
    this.timer = null;
    if (this.lent === 0) this.free = [];
  }
}

/** The process's slabs, shared by every part file. */
export const slabPool = new SlabPool();

/** The bytes [from, to) of `chunks` laid end to end, as views of them (no copy). */
export function cutChunks(chunks: readonly Buffer[], from: number, to: number): Buffer[] {
  const views: Buffer[] = [];
  let at = 0;
  for (const chunk of chunks) {
    const start = Math.max(from - at, 0);
    const end = Math.min(to - at, chunk.length);
    if (end > start) views.push(start === 0 && end === chunk.length ? chunk : chunk.subarray(start, end));
    at += chunk.length;
    if (at >= to) break;
  }
  return views;
}

/**
 * Copies `chunks` from byte `from` to byte `to` of their concatenation into slabs taken
 * from `pool`, each filled but maybe the last. Returns the slabs, each cut to the bytes
 * it holds. Throws when the pool cannot grow (V8 reserves 10 GiB of address space for
 * each WebAssembly.Memory, which a limit on it can refuse), having given back what it took.
 */
export function copyToSlabs(chunks: readonly Buffer[], from: number, to: number, pool: SlabPool = slabPool): Buffer[] {
  const slabs: Buffer[] = [];
  try {
    copyInto(slabs, cutChunks(chunks, from, to), pool);
  } catch (error) {
    pool.give(slabs);
    throw error;
  }
  return slabs;
}

function copyInto(slabs: Buffer[], views: readonly Buffer[], pool: SlabPool): void {
  let slab: Buffer | null = null;
  let filled = 0;
  for (const view of views) {
    let i = 0;
    while (i < view.length) {
      if (slab === null || filled === slab.length) {
        slab = pool.take();
        slabs.push(slab);
        filled = 0;
      }
      const copied = view.copy(slab, filled, i);
      filled += copied;
      i += copied;
    }
  }
  if (slab !== null) slabs[slabs.length - 1] = slab.subarray(0, filled);
}
