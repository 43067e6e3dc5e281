import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { ManualClock } from '../core/clock';
import type { PluginJob } from '../../src-common/contract';
import { JobCenter, type JobCenterOptions } from '../core/jobs/job-center';
import type { PluginJobSpec } from '../core/jobs/plugin-job';
import type { DownloadContext, DownloadOutcome, DownloadRunner } from '../core/jobs/runner';
import { completionWindowMs } from '../core/jobs/scheduler';
import { SettingsStore } from '../core/settings';
import { openDatabase } from '../core/store/database';
import { ClosureRunner, type TestPluginRun } from './closure-runner';
import { tempDir } from './temp-dir';

/** One started attempt of the scripted engine: the test decides how it ends. */
export interface Attempt {
  context: DownloadContext;
  succeed(outcome?: Partial<DownloadOutcome>): void;
  fail(error: unknown): void;
}

/**
 * A download engine whose attempts the test finishes by hand. An attempt also ends
 * (rejecting with the stop reason) when its signal is aborted, as the real engine does.
 */
export function scriptedEngine(): { runner: DownloadRunner; attempts: Attempt[]; running(): Attempt[] } {
  const attempts: Attempt[] = [];
  const open = new Set<Attempt>();
  const runner: DownloadRunner = (context) =>
    new Promise<DownloadOutcome>((resolve, reject) => {
      const attempt: Attempt = {
        context,
        succeed: (outcome = {}) => {
          open.delete(attempt);
          resolve({
            path: join(context.job.dir, context.job.fileName ?? 'file.bin'),
            fileName: context.job.fileName ?? 'file.bin',
            totalBytes: 100,
            finalUrl: context.job.url,
            contentType: 'application/octet-stream',
            sha256: null,
            ...outcome,
          });
        },
        fail: (error) => {
          open.delete(attempt);
          reject(error);
        },
      };
      context.signal.addEventListener('abort', () => attempt.fail(context.signal.reason), { once: true });
      attempts.push(attempt);
      open.add(attempt);
    });
  return { runner, attempts, running: () => [...open] };
}

export interface TestCenter {
  center: JobCenter;
  clock: ManualClock;
  db: Database;
  file: string;
  settings: SettingsStore;
  engine: ReturnType<typeof scriptedEngine>;
  plugins: ClosureRunner;
  /** Queues a plugin job that runs `run`. */
  pluginJob(spec: PluginJobSpec, run: TestPluginRun): PluginJob;
  /** Closes and opens again on the same database file, like a restart. */
  restart(): Promise<TestCenter>;
  close(): Promise<void>;
  /** Closes and deletes the data folder. */
  dispose(): Promise<void>;
}

/** Lets promise callbacks (engine outcomes, scheduler follow-ups) run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await new Promise((r) => setImmediate(r));
}

/**
 * `settle`, then the time a download's completion may wait for others still in flight
 * to share its commit (see completionWindowMs), and `settle` again.
 */
export async function settleCompletions(clock: ManualClock): Promise<void> {
  await settle();
  clock.advance(completionWindowMs);
  await settle();
}

export function openTestCenter(
  options: Partial<JobCenterOptions> & { dir?: ReturnType<typeof tempDir>; clock?: ManualClock } = {},
): TestCenter {
  const plugins = new ClosureRunner();
  const dir = options.dir ?? tempDir();
  const file = join(dir.path, 'haul.db');
  const clock = options.clock ?? new ManualClock();
  const db = openDatabase({ file });
  const settings = new SettingsStore(db);
  const engine = scriptedEngine();
  const center = new JobCenter({
    db,
    settings,
    downloadDir: join(dir.path, 'downloads'),
    downloadRunner: engine.runner,
    pluginRunner: plugins,
    clock,
    backoff: { random: () => 0.5 },
    ...options,
  });
  center.start();
  const close = async () => {
    await center.close();
    db.close();
  };
  return {
    center,
    clock,
    db,
    file,
    settings,
    engine,
    plugins,
    pluginJob: (spec, run) => plugins.queue(center, spec, run),
    close,
    async dispose() {
      await close();
      dir.remove();
    },
    async restart() {
      await close();
      return openTestCenter({ ...options, dir, clock });
    },
  };
}

export { tempDir };
