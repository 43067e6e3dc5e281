import { constants } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
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
 * The `.part` file: positioned writes from any number of connections, and a sync that
 * makes written bytes durable before their offsets are recorded. File system errors
 * come out as `disk` failures.
 */
export class PartFile implements PartBytes {
  private writes = 0;

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
  ) {}

  /** Creates the file; fails with EEXIST when anything (a link too) has that name. */
  static async create(path: string): Promise<PartFile> {
    const flags = constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | noFollow;
    return new PartFile(await open(path, flags, 0o644), path);
  }

  /** Opens an existing partial file for resume; null when it is gone. */
  static async reopen(path: string): Promise<PartFile | null> {
    try {
      const handle = await open(path, constants.O_RDWR | noFollow);
      if (!(await handle.stat()).isFile()) {
        await handle.close();
        return null;
      }
      return new PartFile(handle, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw diskFailure(error, path) ?? error;
    }
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
        const { bytesWritten } = await this.handle.writev(pending, offset);
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
      await this.handle.datasync();
    } catch (error) {
      this.fail(error);
    }
  }

  async size(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  async truncate(size: number): Promise<void> {
    try {
      await this.handle.truncate(size);
    } catch (error) {
      this.fail(error);
    }
  }

  async read(buffer: Buffer, position: number): Promise<number> {
    const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, position);
    return bytesRead;
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }

  /** Closes and removes the file: its bytes are of no use to any next attempt. */
  async discard(): Promise<void> {
    await this.close();
    await rm(this.path, { force: true }).catch(() => undefined);
  }
}
