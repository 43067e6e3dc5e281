import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo, Envelope } from '../../src-preload/contract';
import { systemClock, type Clock } from './clock';
import { dispatch, type CommandHandlers } from './dispatch';
import { HaulError } from './errors';
import { JobCenter, type JobCenterOptions } from './jobs/job-center';
import { afterDownload, CompletionHooks } from './library/after-download';
import { Library } from './library/library';
import { createDownloadEngine, createRateLimiter } from './downloads/engine';
import type { DownloadRunner } from './jobs/runner';
import { SettingsStore } from './settings';
import { openOrRecoverDatabase, schemaVersion } from './store/database';

export interface CoreOptions {
  dataDir: string;
  downloadDir: string;
  runtime: AppInfo['runtime'];
  version: string;
  /** @default process.platform */
  platform?: string;
  /** See OpenDatabaseOptions.nativeBinding. */
  nativeBinding?: string;
  /** The download engine. @default the undici engine of core/downloads */
  downloadRunner?: DownloadRunner;
  clock?: Clock;
  /** What only the desktop shell can do; absent in `haul serve`. */
  desktop?: { open(path: string): Promise<void>; reveal(path: string): void };
  /** Test hooks: throttles, retention and backoff of the job center. */
  jobs?: Pick<JobCenterOptions, 'throttleMs' | 'retention' | 'backoff' | 'pluginTimeoutMs' | 'random'>;
}

/** The one facade the Electron shell and the HTTP server use. */
export interface Core {
  readonly info: AppInfo;
  readonly commands: CommandHandlers;
  readonly jobs: JobCenter;
  readonly library: Library;
  /** Run in each download's processing step; the plugin host adds plugins' hooks here. */
  readonly completionHooks: CompletionHooks;
  readonly settings: SettingsStore;
  /** Parses and runs a command by name; the envelope never throws. */
  invoke(name: unknown, input: unknown): Promise<Envelope<unknown>>;
  close(): Promise<void>;
}

function desktopOnly(): HaulError {
  return new HaulError('unavailable', 'Opening files works in the desktop app; in a browser, use the download folder.');
}

export function createCore(options: CoreOptions): Core {
  mkdirSync(options.dataDir, { recursive: true });
  const { db, movedAside } = openOrRecoverDatabase({
    file: join(options.dataDir, 'haul.db'),
    nativeBinding: options.nativeBinding,
  });
  const notices = movedAside
    ? [`The job database was damaged and has been moved aside to ${movedAside}; Haul started with a fresh one.`]
    : [];
  for (const notice of notices) console.warn(`haul: ${notice}`);

  const info: AppInfo = {
    name: 'Haul',
    version: options.version,
    dataDir: options.dataDir,
    downloadDir: options.downloadDir,
    platform: options.platform ?? process.platform,
    runtime: options.runtime,
    schemaVersion: schemaVersion(db),
    notices,
  };

  const settings = new SettingsStore(db);
  const library = new Library(db, options.clock ?? systemClock);
  const completionHooks = new CompletionHooks();
  const globalLimiter = createRateLimiter(settings.get().speedLimit);
  settings.onChange((next) => globalLimiter.setRate(next.speedLimit));
  const engine = options.downloadRunner ?? createDownloadEngine({ globalLimiter });
  // The default connection count is read at each start, so a settings change applies
  // to the next download without restarting anything.
  const downloadRunner: DownloadRunner = (context) =>
    engine(
      Object.create(context, {
        job: {
          get: () => {
            const job = context.job;
            const connections = job.options.connections ?? settings.get().connectionsPerDownload;
            return { ...job, options: { ...job.options, connections } };
          },
        },
      }) as typeof context,
    );
  const jobs: JobCenter = new JobCenter({
    db,
    settings,
    downloadDir: options.downloadDir,
    downloadRunner,
    afterDownload: afterDownload(library, completionHooks, (id, line) => jobs.registry.log(id, line)),
    clock: options.clock,
    ...options.jobs,
  });
  jobs.start();

  const commands: CommandHandlers = {
    'app.info': () => ({ ...info, downloadDir: settings.get().downloadDir ?? options.downloadDir }),
    'downloads.submit': (input) => jobs.submit(input),
    'jobs.snapshot': () => jobs.registry.snapshot(),
    'jobs.list': (input) => jobs.list(input),
    'jobs.get': ({ id }) => jobs.getWithLog(id),
    'jobs.cancel': ({ id }) => jobs.cancel(id),
    'jobs.pause': ({ id }) => jobs.pause(id),
    'jobs.resume': ({ id }) => jobs.resume(id),
    'jobs.retry': ({ id }) => jobs.retry(id),
    'jobs.remove': async ({ id, deleteFile }) => {
      await jobs.remove(id, deleteFile);
      return { removed: true as const };
    },
    'jobs.move': ({ id, to }) => ({ order: jobs.move(id, to) }),
    'jobs.setSpeedLimit': ({ id, speedLimit }) => jobs.setSpeedLimit(id, speedLimit),
    'jobs.pauseAll': () => ({ count: jobs.pauseAll() }),
    'jobs.resumeAll': () => ({ count: jobs.resumeAll() }),
    'jobs.clearCompleted': () => ({ removed: jobs.clearCompleted() }),
    'jobs.cleanup': ({ daysOld }) => ({ removed: jobs.cleanup(daysOld) }),
    'jobs.queues': () => jobs.queues(),
    'library.list': (input) => library.list(input),
    'library.get': ({ id }) => library.get(id),
    'library.open': async ({ id }) => {
      if (!options.desktop) throw desktopOnly();
      await options.desktop.open(library.get(id).path);
      return { opened: true };
    },
    'library.reveal': ({ id }) => {
      if (!options.desktop) throw desktopOnly();
      options.desktop.reveal(library.get(id).path);
      return { revealed: true as const };
    },
    'library.remove': async ({ id, deleteFile }) => {
      await library.remove(id, deleteFile);
      return { removed: true as const };
    },
    'settings.get': () => settings.get(),
    'settings.update': (changes) => settings.update(changes),
  };

  let closed = false;
  return {
    info,
    commands,
    jobs,
    library,
    completionHooks,
    settings,
    invoke: (name, input) => dispatch(commands, name, input),
    async close() {
      if (closed) return;
      closed = true;
      await jobs.close();
      db.close();
    },
  };
}
