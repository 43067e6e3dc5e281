import { close, constants, fdatasync, fstat, ftruncate, open, read, writev, type Stats } from 'node:fs';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { diskFailure } from './failures';

// Never follow a symbolic link planted where the partial file goes (0 where unsupported).
const noFollow = constants.O_NOFOLLOW ?? 0;

/** Where a connection's bytes go and the hash reads them back from: a part file, or memory. */
export interface PartBytes {
  /** Writes `chunks` back to back from `position`, all of them. */
  write(chunks: readonly Buffer[], position: number): Promise<void>;
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
 * four of them (and three more on its names: the free-name lstat, the link and the
 * unlink, see target-folder.ts), and through a `FileHandle` each cost about a third more
 * of the main thread.
 */
const openFile = promisify(open);
const closeFile = promisify(close);

type Done<T> = (error: NodeJS.ErrnoException | null, value?: T) => void;

/**
 * The `.part` file: positioned writes from any number of connections, and a sync that
 * makes written bytes durable before their offsets are recorded. File system errors
 * come out as `disk` failures. Closing waits for the calls still running on the
 * descriptor, and none starts after it (a descriptor closed under a running write could
 * be another file's by the time the write runs), as a `FileHandle` does.
 */
export class PartFile implements PartBytes {
  private writes = 0;
  /** Calls running on the descriptor. */
  private running = 0;
  private idle: (() => void) | null = null;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly fd: number,
    readonly path: string,
  ) {}

  /** Creates the file; fails with EEXIST when anything (a link too) has that name. */
  static async create(path: string): Promise<PartFile> {
    const flags = constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | noFollow;
    return new PartFile(await openFile(path, flags, 0o644), path);
  }

  /** Opens an existing partial file for resume; null when it is gone. */
  static async reopen(path: string): Promise<PartFile | null> {
    try {
      const part = new PartFile(await openFile(path, constants.O_RDWR | noFollow), path);
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

  /** Runs one call on the descriptor, counted so that `close` waits for it. */
  private call<T>(start: (done: Done<T>) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      if (this.closing) {
        reject(Object.assign(new Error(`${this.path} is already closed.`), { code: 'EBADF' }));
        return;
      }
      this.running += 1;
      const over = (): void => {
        this.running -= 1;
        if (this.running === 0) this.idle?.();
      };
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

  async write(chunks: readonly Buffer[], position: number): Promise<void> {
    let offset = position;
    let pending = chunks.filter((chunk) => chunk.length > 0);
    this.writes += 1;
    try {
      while (pending.length > 0) {
        const bytesWritten = await this.call<number>((done) => writev(this.fd, pending, offset, done));
        offset += bytesWritten;
        // A short write is legal: continue with what is left.
        let skip = bytesWritten;
        const rest: Buffer[] = [];
        for (const chunk of pending) {
          if (skip >= chunk.length) skip -= chunk.length;
          else {
            rest.push(skip > 0 ? chunk.subarray(skip) : chunk);
            skip = 0;
          }
        }
        pending = rest;
      }
    } catch (error) {
      this.fail(error);
    }
  }

  /** Makes every completed write durable. Skipped when nothing was written since. */
  async sync(): Promise<void> {
    if (this.writes === 0) return;
    this.writes = 0;
    try {
      await this.call((done) => fdatasync(this.fd, done));
    } catch (error) {
      this.fail(error);
    }
  }

  async size(): Promise<number> {
    return (await this.call<Stats>((done) => fstat(this.fd, done))).size;
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
