import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** A URL without its user name and password: those never go into file metadata. */
export function originUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return url;
  }
}

export interface OriginRecorderOptions {
  /** A file whose attribute is not set by then is given up, and the tool started again. @default 5000 */
  timeoutMs?: number;
  /** The tool ends after this long with nothing to record. @default 10000 */
  idleMs?: number;
}

/**
 * A path in the form `setfattr --restore` reads on a `# file:` line: backslashes and
 * control characters as octal escapes (a newline would end the line), the rest as is.
 */
function dumpPath(path: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this matches
  return path.replace(/[\\\x00-\x1f\x7f]/g, (char) => `\\${char.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

function dumpEntry(path: string, name: string, value: string): string {
  // In hex, a value needs no quoting and is never read as hex or base64 by mistake.
  return `# file: ${dumpPath(path)}\n${name}=0x${Buffer.from(value).toString('hex')}\n\n`;
}

/**
 * The file named after each entry: none can exist under /proc, so setfattr reports it
 * on its error output once it has handled everything before it. That line is the
 * answer `--restore` otherwise never gives.
 */
const markPrefix = '/proc/haul-origin-mark-';
const markPattern = /: \/proc\/haul-origin-mark-(\d+): /gu;

/** The running tool: its input and its error output are pipes. */
type Tool = ChildProcessByStdio<Writable, null, Readable>;

interface Pending {
  mark: number;
  since: number;
  done(): void;
}

/**
 * Records where files came from in `user.xdg.origin.url`, as browsers do on Linux, with
 * `setfattr` (no native module). Starting a process costs Haul several milliseconds of
 * CPU, three times a small file's whole download, so one `setfattr --restore` runs while
 * files complete and takes each one as a line of its input; it ends when idle.
 * Without following links (`-h`): a file replaced by a symbolic link gets nothing. A
 * failure (a file gone, a file system without user attributes) skips that file silently.
 */
export class OriginRecorder {
  private child: Tool | null = null;
  private pending: Pending[] = [];
  /** Files of this turn, not yet written to the tool. */
  private queued: { entry: string; done(): void }[] = [];
  private marks = 0;
  private errors = '';
  private timer: NodeJS.Timeout | null = null;
  /** How many times the tool was started (for tests). */
  starts = 0;

  private readonly timeoutMs: number;
  private readonly idleMs: number;

  constructor(
    private readonly tool: string,
    options: OriginRecorderOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.idleMs = options.idleMs ?? 10_000;
  }

  /**
   * Settles once the attribute is set, or given up. The files of one turn of the event
   * loop go to the tool in one write with one mark: each write to its pipe wakes it, and
   * in a burst of small downloads a write a file cost Haul's main thread about 0.1 ms.
   */
  record(path: string, value: string): Promise<void> {
    return new Promise((resolve) => {
      if (this.queued.length === 0) setImmediate(() => this.flush());
      this.queued.push({ entry: dumpEntry(path, 'user.xdg.origin.url', value), done: resolve });
    });
  }

  private flush(): void {
    const queued = this.queued;
    this.queued = [];
    if (queued.length === 0) return;
    const child = this.child ?? this.start();
    const mark = ++this.marks;
    const since = Date.now();
    for (const { done } of queued) this.pending.push({ mark, since, done });
    child.stdin.write(queued.map((q) => q.entry).join('') + dumpEntry(`${markPrefix}${mark}`, 'user.x', ''));
    this.arm();
  }

  private start(): Tool {
    this.starts += 1;
    // It writes nothing on its output; its error output carries the marks.
    const child = spawn(this.tool, ['-h', '--restore=-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    this.child = child;
    this.errors = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      if (child !== this.child) return;
      // Only whole lines: a mark's number may be split between two reads.
      const lines = (this.errors + text).split('\n');
      this.errors = lines.pop() ?? '';
      let last = 0;
      for (const match of lines.join('\n').matchAll(markPattern)) last = Math.max(last, Number(match[1]));
      if (last > 0) this.settle(last);
    });
    const ended = (): void => {
      if (child !== this.child) return;
      this.child = null;
      this.settle(Number.POSITIVE_INFINITY);
    };
    child.once('error', ended);
    child.once('close', ended);
    // A tool that ends before reading everything breaks the pipe: `close` settles the rest.
    child.stdin.on('error', () => undefined);
    // Haul's exit does not wait for it; its input closing ends it.
    child.unref();
    for (const stream of [child.stdin, child.stderr]) (stream as { unref?(): void }).unref?.();
    return child;
  }

  /** Every file up to `mark` is done with. */
  private settle(mark: number): void {
    while (this.pending.length > 0 && this.pending[0]!.mark <= mark) this.pending.shift()!.done();
    this.arm();
  }

  /** Waits for the oldest file's answer, or, with none to wait for, for the idle time to end. */
  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const child = this.child;
    if (!child) return;
    const oldest = this.pending[0];
    const wait = oldest ? oldest.since + this.timeoutMs - Date.now() : this.idleMs;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        // Stuck (a hung file system): what it still has is given up, its `close` says so.
        if (this.pending.length > 0) return void child.kill('SIGKILL');
        // Idle: the next file starts another.
        this.child = null;
        child.stdin.end();
      },
      Math.max(0, wait),
    );
    this.timer.unref();
  }
}

let recorder: Promise<OriginRecorder | null> | undefined;

/**
 * Records `url` (without credentials) as where the file at `path` came from, on Linux
 * where `setfattr` is installed; elsewhere nothing. Settles once recorded or skipped.
 */
export async function recordOrigin(path: string, url: string): Promise<void> {
  if (process.platform !== 'linux') return;
  const value = originUrl(url);
  if (!/^https?:/iu.test(value)) return;
  // Looked up once: starting a process that is not there still costs a fork per file.
  recorder ??= findOnPath('setfattr').then((tool) => (tool === null ? null : new OriginRecorder(tool)));
  await (await recorder)?.record(path, value);
}

/** The first executable `name` on PATH, or null. */
export async function findOnPath(name: string, path = process.env.PATH ?? ''): Promise<string | null> {
  for (const folder of path.split(delimiter).filter(Boolean)) {
    const candidate = join(folder, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return null;
}
