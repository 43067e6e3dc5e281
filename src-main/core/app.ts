import { join } from 'node:path';
import type { AppInfo, Envelope, ErrorShape, Settings, Snapshot } from '../../src-common/contract';
import { systemClock, type Clock } from './clock';
import { loadOrCreateToken, regenerateToken } from './api-token';
import { dispatch, type CommandHandlers } from './dispatch';
import { damagedAdvice, HaulError, isDamaged, toErrorShape } from './errors';
import type { Subscription } from './jobs/event-hub';

export type { SequencedEvent, Subscription } from './jobs/event-hub';
import type { UserCommand } from './jobs/command-steps';
import { JobCenter, type JobCenterOptions } from './jobs/job-center';
import { redactSnapshot } from './jobs/secrets';
import { describeJobTypes } from './jobs/job-types';
import { afterDownload } from './library/after-download';
import { CompletionHooks } from './plugins/completion-hooks';
import { Library } from './library/library';
import { folderProblem, notAbsoluteHere } from './downloads/folder-check';
import { createRateLimiter } from './downloads/rate-limiter';
import type { DownloadRunner, PluginJobRunner } from './jobs/runner';
import { findBundledPluginsDir } from './plugins/bundled-dir';
import { PluginHost, userPluginsDir, type PluginHostOptions } from './plugins/plugin-host';
import { SettingsStore } from './settings';
import { Checkpointer } from './store/checkpointer';
import {
  damagedDatabaseNotice,
  markForCheck,
  openOrRecoverDatabase,
  readStartPages,
  schemaVersion,
} from './store/database';
import { GidStore } from './store/gid-store';
import { makeDataDirPrivate } from './store/private-files';

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
  /** Test hook: runs plugin jobs instead of the plugin host. */
  pluginJobRunner?: PluginJobRunner;
  clock?: Clock;
  /** What only the desktop shell can do; absent in `haul serve`. */
  desktop?: { open(path: string): Promise<void>; reveal(path: string): void };
  /** Test hooks: throttles, retention and backoff of the job center. */
  jobs?: Pick<JobCenterOptions, 'throttleMs' | 'retention' | 'backoff' | 'pluginTimeoutMs' | 'random'>;
  /**
   * The plugins shipped with Haul (resources/plugins), resolved by the caller.
   * @default found beside the built bundle; none when running from source
   */
  bundledPluginsDir?: string;
  /** Test hooks of the plugin host: shorter limits, another worker entry. */
  plugins?: Pick<PluginHostOptions, 'limits' | 'workerFile'>;
}

/** Jobs of one `jobs.each` between two turns of the event loop; their changes commit together. */
const eachBatch = 50;

/** The job center's command behind each of `jobs.each`'s status commands. */
const userCommands = {
  'jobs.pause': 'pause',
  'jobs.resume': 'resume',
  'jobs.cancel': 'cancel',
  'jobs.retry': 'retry',
} as const satisfies Record<string, UserCommand>;

/** The job event stream: subscribe first, then the first event is an `init` snapshot. */
export interface CoreEvents {
  /** `lastEventId` replays what a reconnecting client missed, or starts with a fresh init. */
  subscribe(options?: { lastEventId?: number }): Subscription;
  snapshot(): Snapshot;
}

/** The settings as the shell and the server read them; changes go through `settings.update`. */
export interface CoreSettings {
  get(): Settings;
  onChange(listener: (next: Settings, changed: Partial<Settings>) => void): () => void;
}

/**
 * The one facade the Electron shell and the HTTP server use: commands, the event stream,
 * settings to read, lifecycle. Everything behind it stays private to the core.
 */
export interface Core {
  readonly info: AppInfo;
  /** The command handlers, typed from the contract; inputs are trusted (already parsed). */
  readonly commands: CommandHandlers;
  readonly events: CoreEvents;
  readonly settings: CoreSettings;
  /** Parses and runs a command by name; the envelope never throws. */
  invoke(name: unknown, input: unknown): Promise<Envelope<unknown>>;
  /** The local API's current token (created on first use, kept in `<data-dir>/api-token`). */
  apiToken(): string;
  /** The aria2 GIDs of download jobs, for the aria2-compatible endpoint. */
  readonly gids: Pick<GidStore, 'gidOf' | 'assign' | 'lookup'>;
  close(): Promise<void>;
}

/** The parts behind the facade, for the core's own tests and benchmarks only. */
export interface CoreParts {
  readonly jobs: JobCenter;
  readonly library: Library;
  /** Run in each download's processing step; the plugin host adds plugins' hooks here. */
  readonly completionHooks: CompletionHooks;
  readonly settingsStore: SettingsStore;
  /** Sandboxed plugins; `plugins.ready` settles once the ones found at start have started. */
  readonly plugins: PluginHost;
}

function desktopOnly(): HaulError {
  return new HaulError('unavailable', 'Opening files works in the desktop app; in a browser, use the download folder.');
}

export function createCore(options: CoreOptions): Core {
  const { info, commands, events, settings, gids, invoke, apiToken, close } = createCoreWithParts(options);
  return { info, commands, events, settings, gids, invoke, apiToken, close };
}

/** The core and the parts behind it: for tests and benchmarks that drive the parts directly. */
export function createCoreWithParts(options: CoreOptions): Core & CoreParts {
  const notices = makeDataDirPrivate(options.dataDir);
  const dbFile = join(options.dataDir, 'haul.db');
  const { db, movedAside, salvage } = openOrRecoverDatabase({
    file: dbFile,
    nativeBinding: options.nativeBinding,
    probe: readStartPages,
  });
  const checkpointer = new Checkpointer(db, { file: dbFile, nativeBinding: options.nativeBinding });
  if (movedAside) notices.push(damagedDatabaseNotice(movedAside, salvage));
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
  // Settings the engine reads at each download's start or check, so a change applies to
  // the next one without restarting anything.
  // The engine (and undici with it) loads when the first download starts, not at start-up.
  let engine: Promise<DownloadRunner> | undefined;
  const downloadRunner: DownloadRunner =
    options.downloadRunner ??
    (async (context) => {
      engine ??= import('./downloads/engine').then(({ createDownloadEngine }) =>
        createDownloadEngine({
          globalLimiter,
          maxConnections: () => settings.get().connectionsPerDownload,
          fingerprint: () => settings.get().fingerprintDownloads,
          minSpeed: () => settings.get().minSpeed,
          trustedCertificates: () => settings.get().trustedCertificates,
        }),
      );
      return (await engine)(context);
    });
  // Plugin jobs run in the plugin host, made just below: the job center reaches it only
  // when a plugin job starts, is retried or ends, all after start-up.
  const pluginRunner: PluginJobRunner = options.pluginJobRunner ?? {
    refusal: (job) => plugins.jobRunner.refusal(job),
    run: (context) => plugins.jobRunner.run(context),
    release: (id) => plugins.jobRunner.release(id),
  };
  const jobs: JobCenter = new JobCenter({
    db,
    settings,
    downloadDir: options.downloadDir,
    downloadRunner,
    pluginRunner,
    afterDownload: afterDownload(library, completionHooks, (id, line) => jobs.registry.log(id, line)),
    clock: options.clock,
    onWrite: () => checkpointer.active(),
    claimLogFile: join(options.dataDir, 'haul-claims.log'),
    discardPart: async (dir, state) => (await import('./downloads/leftover-part')).discardLeftoverPart(dir, state),
    ...options.jobs,
    retention: {
      onDamaged: () => {
        markForCheck(dbFile);
        console.warn(`haul: Part of the database is damaged: the history could not be pruned. ${damagedAdvice}`);
      },
      ...options.jobs?.retention,
    },
  });
  library.onMoved = (resource) => {
    if (resource.jobId) jobs.fileMoved(resource.jobId, resource.id, resource.path, resource.name);
  };
  const plugins = new PluginHost({
    db,
    clock: options.clock ?? systemClock,
    jobs,
    library,
    completionHooks,
    // Read at each use: plugins follow a change of the download folder in the settings.
    downloadDir: () => settings.get().downloadDir ?? options.downloadDir,
    dataDir: options.dataDir,
    bundledDir: options.bundledPluginsDir ?? findBundledPluginsDir(),
    userDir: userPluginsDir(options.dataDir),
    ...options.plugins,
  });
  for (const notice of jobs.start()) {
    notices.push(notice);
    console.warn(`haul: ${notice}`);
  }
  void plugins.start();
  settings.onChange((_next, changed) => {
    if ('downloadDir' in changed) plugins.downloadDirChanged();
  });

  let token: string | undefined;
  const apiToken = () => (token ??= loadOrCreateToken(options.dataDir));

  /**
   * Removes `ids` (see JobCenter.removeEach); with `deleteFile`, their library entries too.
   * `kept` hears why a removed job's file was left.
   */
  const removeJobs = async (
    ids: string[],
    deleteFile = false,
    kept?: (index: number, why: string) => void,
  ): Promise<unknown[]> => {
    // Their files deleted, the library entries would point at nothing.
    const resources = ids.map((id) => {
      const job = deleteFile ? jobs.registry.stored(id)?.job : undefined;
      return job?.source === 'download' ? job.resourceId : null;
    });
    const errors = await jobs.removeEach(ids, deleteFile, kept);
    resources.forEach((resourceId, k) => {
      if (resourceId != null && errors[k] === null) library.forget(resourceId);
    });
    return errors;
  };

  const commands: CommandHandlers = {
    'app.info': () => ({ ...info, downloadDir: settings.get().downloadDir ?? options.downloadDir }),
    // Plugins' haul.resolve run first: one URL may become several direct downloads.
    'downloads.submit': (input) => {
      const problem = input.dir ? notAbsoluteHere(input.dir) : null;
      if (problem) throw new HaulError('invalid_input', `dir: ${problem}.`, { field: 'dir' });
      return plugins.submit(input);
    },
    'jobs.snapshot': () => jobs.registry.snapshot(),
    'downloads.list': (input) => jobs.listDownloads(input),
    'jobs.list': (input) => jobs.list(input),
    'jobs.get': ({ id }) => jobs.getWithLog(id),
    'jobs.logs': ({ ids }) => jobs.logs(ids),
    'jobs.cancel': ({ id }) => jobs.cancel(id),
    'jobs.pause': ({ id }) => jobs.pause(id),
    'jobs.resume': ({ id }) => jobs.resume(id),
    'jobs.retry': ({ id }) => jobs.retry(id),
    'jobs.remove': async ({ id, deleteFile }) => {
      let fileKept: string | undefined;
      const [error] = await removeJobs([id], deleteFile, (_, why) => (fileKept = why));
      if (error !== null) throw error;
      return { removed: true as const, ...(fileKept ? { fileKept } : {}) };
    },
    'jobs.each': async ({ command, ids, deleteFile }) => {
      const refused: { id: string; error: ErrorShape }[] = [];
      const kept: { id: string; message: string }[] = [];
      for (let i = 0; i < ids.length; i += eachBatch) {
        // A turn of the event loop between batches: downloads and the API go on meanwhile.
        if (i > 0) await new Promise((resolve) => setImmediate(resolve));
        const batch = ids.slice(i, i + eachBatch);
        const errors =
          command === 'jobs.remove'
            ? await removeJobs(batch, deleteFile, (k, message) => kept.push({ id: batch[k]!, message }))
            : await jobs.each(userCommands[command], batch);
        errors.forEach((error, k) => {
          if (error !== null) refused.push({ id: batch[k]!, error: toErrorShape(error) });
        });
      }
      return { refused, ...(kept.length > 0 ? { kept } : {}) };
    },
    'jobs.move': ({ id, to }) => ({ order: jobs.move(id, to) }),
    'jobs.setSpeedLimit': ({ id, speedLimit }) => jobs.setSpeedLimit(id, speedLimit),
    'jobs.pauseAll': async () => ({ count: await jobs.pauseAll() }),
    'jobs.resumeAll': async () => ({ count: await jobs.resumeAll() }),
    'jobs.clearCompleted': () => ({ removed: jobs.clearCompleted() }),
    'jobs.cleanup': ({ daysOld }) => ({ removed: jobs.cleanup(daysOld) }),
    'jobs.queues': () => jobs.queues(),
    'jobs.types': () =>
      describeJobTypes({
        settings: settings.get(),
        actions: [...plugins.listActions('resource'), ...plugins.listActions('custom')],
        tasks: jobs.list({ source: 'task', limit: 1000 }).jobs.filter((job) => job.source === 'task'),
        pluginTimeoutMs: options.jobs?.pluginTimeoutMs,
        retryBaseMs: options.jobs?.backoff?.baseMs,
      }),
    'jobs.create': (input) => jobs.tasks.create(input, { kind: 'api' }),
    'jobs.start': ({ id }) => jobs.tasks.start(id),
    'jobs.progress': (input) => jobs.tasks.report(input),
    'jobs.complete': ({ id, result }) => jobs.tasks.complete(id, result),
    'jobs.fail': ({ id, message, retry }) => jobs.tasks.fail(id, message, retry),
    'jobs.suspend': ({ id, state }) => jobs.tasks.suspend(id, state),
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
      const fileKept = await library.remove(id, deleteFile);
      return { removed: true as const, ...(fileKept ? { fileKept } : {}) };
    },
    'api.token': () => ({ token: apiToken() }),
    'api.regenerateToken': () => {
      token = regenerateToken(options.dataDir);
      return { token };
    },
    'settings.get': () => settings.get(),
    'settings.update': async (changes) => {
      const problem = changes.downloadDir ? await folderProblem(changes.downloadDir) : null;
      if (problem) throw new HaulError('invalid_input', `downloadDir: ${problem}.`, { field: 'downloadDir' });
      return settings.update(changes);
    },
    'plugins.list': () => ({ plugins: plugins.list() }),
    'plugins.enable': ({ name }) => plugins.enable(name),
    'plugins.disable': ({ name }) => plugins.disable(name),
    'plugins.updateSettings': ({ name, values }) => plugins.updateSettings(name, values),
    'plugins.install': ({ path, replace }) => plugins.install(path, replace),
    'plugins.reload': async ({ name }) => ({ plugins: await plugins.reload(name) }),
    'plugins.log': ({ name }) => ({ lines: plugins.logOf(name) }),
    'plugins.notifications': ({ limit }) => ({ notifications: plugins.notifications.list(limit) }),
    'actions.list': ({ entityType, resourceId }) => ({ actions: plugins.listActions(entityType, resourceId) }),
    'actions.run': (input) => plugins.runAction(input),
  };

  let closed = false;
  return {
    info,
    commands,
    events: {
      subscribe: (subscribeOptions) => jobs.hub.subscribe(subscribeOptions),
      snapshot: () => redactSnapshot(jobs.registry.snapshot()),
    },
    settings: { get: () => settings.get(), onChange: (listener) => settings.onChange(listener) },
    jobs,
    library,
    completionHooks,
    settingsStore: settings,
    plugins,
    invoke: (name, input) => dispatch(commands, name, input, (error) => isDamaged(error) && markForCheck(dbFile)),
    apiToken,
    gids: new GidStore(db),
    async close() {
      if (closed) return;
      closed = true;
      // Jobs first: running plugin jobs stop as `shutdown` (resumable state), not as crashes.
      await jobs.close();
      await plugins.close();
      await checkpointer.close();
      db.close();
    },
  };
}
