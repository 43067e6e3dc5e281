import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { runtimeFlags } from '../runtime-flags';

/** What the main connection checkpoints by itself while no worker does. SQLite's default. */
const ownCheckpointPages = 1000;
/**
 * While the worker runs, the main connection checkpoints only if the worker falls this
 * far behind (4 KiB pages: about 40 MB of WAL).
 */
const fallbackCheckpointPages = 10_000;
/** Status changes within `burstWindowMs` that start the worker. @default 20 */
const burstWrites = 20;
const burstWindowMs = 1000;
/** How long close() waits for the worker before terminating it. @default 5000 */
const closeWaitMs = 5000;

/**
 * The worker's program. A string run with `eval`, not a file of its own: it needs no
 * bundling in any of the builds (the app, `haul serve`, the benchmarks), and it loads
 * better-sqlite3 from the path the main thread resolved.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
// First: this thread's start reset V8's flags for the whole process (see runtime-flags.ts).
for (const flag of workerData.runtimeFlags) require('node:v8').setFlagsFromString(flag);
const Database = require(workerData.module);
const db = new Database(workerData.file, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {});
db.pragma('busy_timeout = 1000');
let idle = 0;
let last = '';
let closing = false;
const stop = () => {
  closing = true;
  clearInterval(timer);
  db.close();
  parentPort.close();
};
const timer = setInterval(() => {
  if (closing) return;
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    if (workerData.report) parentPort.postMessage({ frames: result.log, copied: result.checkpointed });
    // The counts are of the WAL as it stands: the same twice, all copied, is a quiet WAL.
    const now = result.log + '/' + result.checkpointed;
    idle = now === last && result.checkpointed === result.log ? idle + 1 : 0;
    last = now;
  } catch {
    idle += 1;
  }
  if (idle >= workerData.idleTicks) stop();
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'close' && !closing) stop();
});
`;

/** Node's flags without `--input-type`, in either form (`=module` or a separate value). */
export function withoutInputType(flags: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < flags.length; i += 1) {
    if (flags[i] === '--input-type') i += 1;
    else if (!flags[i]!.startsWith('--input-type=')) kept.push(flags[i]!);
  }
  return kept;
}

export interface CheckpointerOptions {
  /** The database file (not `:memory:`). */
  file: string;
  nativeBinding?: string;
  /** Where better-sqlite3 is loaded from in the worker. @default resolved from here */
  module?: string;
  /** How often the worker copies the WAL back. @default 200 */
  intervalMs?: number;
  /** Checkpoints in a row with nothing new before the worker stops. @default 25 (5 s) */
  idleTicks?: number;
  /** @default Date.now */
  now?: () => number;
  /** Called in the main thread after each checkpoint the worker ran (for tests). */
  onCheckpoint?: (result: { frames: number; copied: number }) => void;
}

/**
 * Copies the WAL back into the database file from a worker thread. SQLite's own
 * checkpoint runs inside whichever commit crosses 1000 pages, on the main thread, and
 * waits there for two or three fsyncs: 25-50 ms with every job, event and API answer
 * held up, about twice a second while small files complete (docs/performance.md). The
 * worker starts on a burst of status changes, checkpoints every 200 ms, and stops after
 * 5 s with nothing to copy. If it cannot start, the main connection checkpoints as before.
 */
export class Checkpointer {
  private worker: Worker | null = null;
  private failed = false;
  private closed = false;
  private burst = { since: 0, count: 0 };
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    private readonly options: CheckpointerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /**
   * A job changed status. A burst of changes (many small files) starts the worker; a
   * few (one large download) leave the rare checkpoint to the main connection, which
   * costs less than a thread. The worker stops by itself once the WAL is quiet.
   */
  active(): void {
    if (this.worker || this.failed || this.closed) return;
    const now = this.now();
    if (now - this.burst.since > burstWindowMs) this.burst = { since: now, count: 0 };
    this.burst.count += 1;
    if (this.burst.count >= burstWrites) this.start();
  }

  get running(): boolean {
    return this.worker !== null;
  }

  private start(): void {
    let worker: Worker;
    try {
      worker = new Worker(workerSource, {
        eval: true,
        // The program is CommonJS: run from `node --input-type=module`, an eval'd worker
        // would take it as a module (and find no require) with that flag.
        execArgv: withoutInputType(process.execArgv),
        workerData: {
          file: this.options.file,
          nativeBinding: this.options.nativeBinding,
          module: this.options.module ?? createRequire(import.meta.url).resolve('better-sqlite3'),
          intervalMs: this.options.intervalMs ?? 200,
          idleTicks: this.options.idleTicks ?? 25,
          report: this.options.onCheckpoint !== undefined,
          runtimeFlags,
        },
        stdout: false,
        stderr: false,
      });
    } catch {
      this.failed = true;
      return;
    }
    worker.unref();
    this.worker = worker;
    this.db.pragma(`wal_autocheckpoint = ${fallbackCheckpointPages}`);
    const onCheckpoint = this.options.onCheckpoint;
    if (onCheckpoint) worker.on('message', (message: { frames: number; copied: number }) => onCheckpoint(message));
    // A worker that could not load or open the database is not tried again.
    worker.on('error', () => (this.failed = true));
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = null;
      if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${ownCheckpointPages}`);
    });
  }

  /**
   * Stops the worker and closes its connection; call before closing the main one, so the
   * main connection is the last and removes the WAL (a WAL left behind means a crash).
   */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('close');
    // A checkpoint stuck on a hung disk must not hold the quit for good.
    const timer = setTimeout(() => void worker.terminate(), closeWaitMs);
    await exited;
    clearTimeout(timer);
  }
}
