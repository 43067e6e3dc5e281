import {
  close,
  constants,
  fdatasync,
  fstat,
  ftruncate,
  open,
  read,
  writev,
  type BigIntStats,
  type Stats,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { copyToSlabs, cutChunks, directAlignment, slabPool, type SlabPool } from './aligned-slabs';
import { diskFailure, PartGone } from './failures';

// Never follow a symbolic link planted where the partial file goes (0 where unsupported).
const noFollow = constants.O_NOFOLLOW ?? 0;

/**
 * The device, inode and modification time (ns) of a file, as decimal strings (an inode
 * may pass 2^53): the inode follows the file to its final name, and a rewrite in place
 * changes its modification time (see published.ts).
 */
export interface FileIdentity {
  dev: string;
  ino: string;
  mtimeNs: string;
}

/** Where a connection's bytes go and the hash reads them back from: a part file, or memory. */
export interface PartBytes {
  /** Writes `chunks` back to back from `position`, all of them. */
  write(chunks: readonly Buffer[], position: number): Promise<void>;
  /**
   * Like `write`, but copies `chunks` before it returns, so the caller may free them at
   * once, and may write them past the page cache; null where this write would not copy
   * them (then `write` is the call).
   */
  writeCopy?(chunks: readonly Buffer[], position: number): Promise<void> | null;
  read(buffer: Buffer, position: number): Promise<number>;
}

/**
 * A small answer's bytes, held in memory while they come (see `heldAnswerBytes`): no
 * part file, no name claimed and no write until every byte is in; the processing step
 * then claims the name and writes the file once. Held bytes are not durable, so nothing
 * records them; an answer still coming after a checkpoint interval moves to a part file
 * (`spill`), so a stop or a crash never costs more than that interval's bytes.
 */
export class MemoryPart implements PartBytes {
  readonly bytes: Buffer;
  /** Bytes [0, extent) hold every byte written so far (and zeros in any gap). */
  private extent = 0;
  /** Set once the bytes moved to a part file: what comes next goes there, after them. */
  private moved: { file: PartFile; written: Promise<void> } | null = null;

  constructor(size: number) {
    this.bytes = Buffer.alloc(size);
  }

  write(chunks: readonly Buffer[], position: number): Promise<void> {
    const moved = this.moved;
    if (moved) return moved.written.then(() => moved.file.write(chunks, position));
    let at = position;
    for (const chunk of chunks) {
      if (at + chunk.length > this.bytes.length) {
        return Promise.reject(new Error(`A write past the ${this.bytes.length} bytes held in memory.`));
      }
      at += chunk.copy(this.bytes, at);
    }
    this.extent = Math.max(this.extent, at);
    return Promise.resolve();
  }

  read(buffer: Buffer, position: number): Promise<number> {
    const moved = this.moved;
    if (moved) return moved.written.then(() => moved.file.read(buffer, position));
    return Promise.resolve(this.bytes.copy(buffer, 0, Math.min(position, this.extent), this.extent));
  }

  /** Writes the held bytes to `file`; every write after this call goes there too. */
  spill(file: PartFile): Promise<void> {
    const written = file.write([this.bytes.subarray(0, this.extent)], 0);
    this.moved = { file, written };
    return written;
  }
}

/**
 * A part file's calls go through fs's callback API, not `fs/promises`: a small file makes
 * three of them (the exclusive creation, the write and the close; see durableWrites), and
 * two more on its names (the link and the unlink, see target-folder.ts); through a
 * `FileHandle` each cost about a third more of the main thread.
 */
const openFile = promisify(open);
const closeFile = promisify(close);

type Done<T> = (error: NodeJS.ErrnoException | null, value?: T) => void;

/** Linux's flag for writes that bypass the page cache; undefined elsewhere. */
const directFlag: number | undefined = process.platform === 'linux' ? constants.O_DIRECT : undefined;

/** What a file system that does not take a direct write answers. */
const refusals = new Set(['EINVAL', 'EOPNOTSUPP', 'ENOTSUP']);

/** A write's aligned middle shorter than this goes through the page cache. @default 64 KiB */
const minDirectBytes = 64 * 1024;

export interface PartFileOptions {
  /**
   * Write the aligned middle of large writes past the page cache (Linux). The kernel's
   * copy of written bytes into the page cache was the largest CPU cost of a fast download
   * where measured (docs/performance.md); a direct write hands the disk the bytes without
   * it. A write's unaligned ends, and everything where the file system refuses, go
   * through the page cache as before. @default true where the platform has it
   */
  direct?: boolean;
  /** Where the aligned memory comes from. @default slabPool */
  slabs?: SlabPool;
  /**
   * Each write is durable once it completes (`O_DSYNC`), as if a sync followed it, and
   * `sync` has nothing left to do: for a file written once (a small answer held in memory),
   * one file system call less, each a hand-off to libuv's threads (see docs/performance.md).
   * Direct writes are off, their descriptor being opened without the flag. Where the
   * platform lacks it, `sync` syncs as usual. Only for `create`. @default false
   */
  durableWrites?: boolean;
}

/** Writes that return once durable; undefined where the platform has no such flag. */
const dsyncFlag: number | undefined = constants.O_DSYNC;

const alignDown = (n: number): number => n - (n % directAlignment);
const alignUp = (n: number): number => alignDown(n + directAlignment - 1);

/**
 * The `.part` file: positioned writes from any number of connections, and a sync that
 * makes written bytes durable before their offsets are recorded. Large writes go past
 * the page cache through a second descriptor (`PartFileOptions.direct`). File system
 * errors come out as `disk` failures. Closing waits for the calls still running on the
 * descriptors, and none starts after it (a descriptor closed under a running write could
 * be another file's by the time the write runs), as a `FileHandle` does.
 */
export class PartFile implements PartBytes {
  private writes = 0;
  /** Calls running on the descriptor. */
  private running = 0;
  private idle: (() => void) | null = null;
  private closing: Promise<void> | null = null;
  /**
   * The descriptor for direct writes, opened at the first write that has a large enough
   * middle; null when it could not be opened.
   */
  private direct: Promise<number | null> | null = null;
  /** Direct writes are not wanted, or the kernel refused one: all go through the page cache. */
  private directOff: boolean;
  private readonly slabs: SlabPool;
  /** An `ensureLinked` call saw the file with a name. */
  private named = false;

  private constructor(
    private readonly fd: number,
    readonly path: string,
    options: PartFileOptions,
    /** Opened with `dsyncFlag` (see PartFileOptions.durableWrites). */
    private readonly durable = false,
  ) {
    this.directOff = directFlag === undefined || options.direct === false || durable;
    this.slabs = options.slabs ?? slabPool;
  }

  /** Creates the file; fails with EEXIST when anything (a link too) has that name. */
  static async create(path: string, options: PartFileOptions = {}): Promise<PartFile> {
    const durable = options.durableWrites === true && dsyncFlag !== undefined;
    const flags = constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | noFollow | (durable ? dsyncFlag : 0);
    return new PartFile(await openFile(path, flags, 0o644), path, options, durable);
  }

  /** Opens an existing partial file for resume; null when it is gone. */
  static async reopen(path: string, options: PartFileOptions = {}): Promise<PartFile | null> {
    try {
      const part = new PartFile(await openFile(path, constants.O_RDWR | noFollow), path, options);
      let isFile = false;
      try {
        isFile = (await part.call<Stats>((done) => fstat(part.fd, done))).isFile();
      } finally {
        if (!isFile) await part.close();
      }
      return isFile ? part : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw diskFailure(error, path) ?? error;
    }
  }

  private closed(): Error {
    return Object.assign(new Error(`${this.path} is already closed.`), { code: 'EBADF' });
  }

  private over(): void {
    this.running -= 1;
    if (this.running === 0) this.idle?.();
  }

  /**
   * Runs one call on the descriptor, counted so that `close` waits for it. `within` a
   * write that started before `close`, it runs even once `close` was asked.
   */
  private call<T>(start: (done: Done<T>) => void, within = false): Promise<T> {
    return new Promise((resolve, reject) => {
      if (this.closing && !within) {
        reject(this.closed());
        return;
      }
      this.running += 1;
      const over = (): void => this.over();
      try {
        start((error, value) => {
          over();
          if (error) reject(error);
          else resolve(value as T);
        });
      } catch (error) {
        // Refused before it started (an argument fs rejects at once): nothing runs.
        over();
        reject(error);
      }
    });
  }

  private fail(error: unknown): never {
    throw diskFailure(error, this.path) ?? error;
  }

  /** Writes `chunks` from `position` through the page cache. */
  write(chunks: readonly Buffer[], position: number): Promise<void> {
    if (this.closing) return Promise.reject(this.closed());
    this.running += 1;
    return this.writeCached(chunks, position).finally(() => this.over());
  }

  /**
   * A large write, copied before this returns: its aligned middle into aligned memory,
   * written directly, and its two ends (under `directAlignment` each) through the page
   * cache, so direct and cached writes never share a block of the file. Null for a write
   * too small, or with direct writes off. Each call is counted until it is over, so that
   * `close` waits for all of it.
   */
  writeCopy(chunks: readonly Buffer[], position: number): Promise<void> | null {
    if (this.directOff || this.closing) return null;
    let total = 0;
    for (const chunk of chunks) total += chunk.length;
    const from = alignUp(position) - position;
    const to = alignDown(position + total) - position;
    if (to - from < minDirectBytes) return null;
    const head = Buffer.concat(cutChunks(chunks, 0, from));
    const tail = Buffer.concat(cutChunks(chunks, to, total));
    let slabs: Buffer[];
    try {
      slabs = copyToSlabs(chunks, from, to, this.slabs);
    } catch {
      // No aligned memory to be had (see copyToSlabs): this file writes through the cache.
      this.directOff = true;
      return null;
    }
    this.running += 1;
    return this.writeCopied(head, slabs, tail, position, position + to).finally(() => this.over());
  }

  /** Writes `head` at `position`, the slabs after it and `tail` at `end`. */
  private async writeCopied(
    head: Buffer,
    slabs: readonly Buffer[],
    tail: Buffer,
    position: number,
    end: number,
  ): Promise<void> {
    // Every part runs to its end before the slabs go back: a write still running reads them.
    const results = await Promise.allSettled([
      this.writeCached([head], position),
      this.writeDirect(slabs, position + head.length),
      this.writeCached([tail], end),
    ]);
    this.slabs.give(slabs);
    for (const result of results) if (result.status === 'rejected') throw result.reason;
  }

  /**
   * The descriptor for direct writes, opened on first use through /proc/self/fd: the file
   * this part file has open, whatever its name points at by now. Null where that or the
   * direct flag is refused (a file system without direct writes, no /proc).
   */
  private directDescriptor(): Promise<number | null> {
    this.direct ??= this.call<number>(
      (done) => open(`/proc/self/fd/${this.fd}`, constants.O_WRONLY | directFlag!, done),
      true,
    ).catch(() => {
      this.directOff = true;
      return null;
    });
    return this.direct;
  }

  /** Writes aligned `slabs` directly from `position`; through the page cache where the kernel refuses. */
  private async writeDirect(slabs: readonly Buffer[], position: number): Promise<void> {
    const fd = this.directOff ? null : await this.directDescriptor();
    let rest = slabs;
    let at = position;
    if (fd !== null) {
      this.writes += 1;
      try {
        const written = await this.call<number>((done) => writev(fd, slabs, position, done), true);
        // A short write: the rest through the page cache.
        rest = cutChunks(slabs, written, Infinity);
        at += written;
      } catch (error) {
        if (!refusals.has((error as NodeJS.ErrnoException).code ?? '')) this.fail(error);
        // The kernel does not take direct writes here (alignment, file system): stop trying.
        // The descriptor stays open until `close`: a write queued on it may not have run yet.
        this.directOff = true;
      }
    }
    if (rest.length > 0) await this.writeCached(rest, at);
  }

  private async writeCached(chunks: readonly Buffer[], position: number): Promise<void> {
    let offset = position;
    let pending = chunks.filter((chunk) => chunk.length > 0);
    if (pending.length === 0) return;
    this.writes += 1;
    try {
      while (pending.length > 0) {
        const bytesWritten = await this.call<number>((done) => writev(this.fd, pending, offset, done), true);
        offset += bytesWritten;
        // A short write is legal: continue with what is left.
        pending = cutChunks(pending, bytesWritten, Infinity);
      }
    } catch (error) {
      this.fail(error);
    }
  }

  /** Makes every completed write durable. Skipped when nothing was written since, or each write was. */
  async sync(): Promise<void> {
    if (this.writes === 0 || this.durable) return;
    this.writes = 0;
    try {
      await this.call((done) => fdatasync(this.fd, done));
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * Throws `PartGone` when the file lost its name (deleted, or its folder was) since an
   * earlier call saw it named. Only then: a file system that reports no links at all
   * (some FUSE ones say 0) never has a file taken for deleted.
   */
  async ensureLinked(): Promise<void> {
    const { nlink } = await this.call<Stats>((done) => fstat(this.fd, done));
    if (nlink > 0) this.named = true;
    else if (this.named) throw new PartGone(this.path);
  }

  async size(): Promise<number> {
    return (await this.call<Stats>((done) => fstat(this.fd, done))).size;
  }

  /** Its size, and what names it wherever it is linked until it is written again (see published.ts). */
  async identity(): Promise<{ size: number; file: FileIdentity }> {
    const stats = await this.call<BigIntStats>((done) => fstat(this.fd, { bigint: true }, done));
    const file = { dev: String(stats.dev), ino: String(stats.ino), mtimeNs: String(stats.mtimeNs) };
    return { size: Number(stats.size), file };
  }

  async truncate(size: number): Promise<void> {
    try {
      await this.call((done) => ftruncate(this.fd, size, done));
    } catch (error) {
      this.fail(error);
    }
  }

  async read(buffer: Buffer, position: number): Promise<number> {
    return this.call<number>((done) => read(this.fd, buffer, 0, buffer.length, position, done));
  }

  /** Closes the descriptor once the calls running on it are over. Never rejects. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.running > 0) await new Promise<void>((resolve) => (this.idle = resolve));
      const direct = await this.direct;
      if (direct !== null && direct !== undefined) await closeFile(direct).catch(() => undefined);
      await closeFile(this.fd).catch(() => undefined);
    })();
    return this.closing;
  }

  /** Closes and removes the file: its bytes are of no use to any next attempt. */
  async discard(): Promise<void> {
    await this.close();
    await rm(this.path, { force: true }).catch(() => undefined);
  }
}
