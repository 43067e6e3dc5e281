import { dirname, join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { CommandOutput, ParsedInput, PluginAction, PluginInfo } from '../../../src-common/contract';
import type { Clock } from '../clock';
import { HaulError } from '../errors';
import type { JobCenter } from '../jobs/job-center';
import type { CompletionHooks } from './completion-hooks';
import type { ResourceAccess } from './file-access';
import { matchesContentType, validateParams } from './action-params';
import { actionResource, asActionResult, listedAction } from './plugin-actions';
import { FileAccess } from './file-access';
import { serveHostCall, type HostServices } from './host-calls';
import { installPlugin, removeStaleStaging, replacement } from './install';
import { effectiveSettings, settingValueProblem } from './manifest';
import { PluginNotifications } from './notifications';
import { PluginHooks } from './plugin-hooks';
import { PluginInstance, defaultLimits, type PluginLimits } from './plugin-instance';
import type { PluginJobRunner } from '../jobs/runner';
import { PluginJobs } from './plugin-jobs';
import { PluginTasks } from './plugin-tasks';
import { PluginPaths } from './plugin-paths';
import { PluginRegistrations } from './plugin-registrations';
import { scanPlugins, readPluginFolder, type PluginSource } from './plugin-loader';
import { PluginStateStore } from './plugin-state';
import { PluginStorage } from './plugin-storage';
import { describeFailure } from './sandbox-failure';
import { checkResolvedLinks, parseResolverAnswer, submitWithResolvers, type ResolvedLink } from './submit-resolvers';
import { defaultWorkerFile } from './worker-client';

export interface PluginHostOptions {
  db: Database;
  clock: Clock;
  jobs: JobCenter;
  /** Library items, reached by id (the library sits above the plugins). */
  library: ResourceAccess;
  completionHooks: CompletionHooks;
  /** The download folder; a function when the user can change it in the settings. */
  downloadDir: string | (() => string);
  /** Haul's data folder: plugins never reach it by path. @default the parent of userDir */
  dataDir?: string;
  /** Plugins shipped with Haul (resources/plugins). */
  bundledDir?: string;
  /** Plugins the user installed (<dataDir>/plugins). */
  userDir: string;
  limits?: Partial<PluginLimits>;
  /** @default plugin-worker beside this module or the bundle */
  workerFile?: string;
}

type Submit = ParsedInput<'downloads.submit'>;

/**
 * Plugins: loading, lifecycle, actions, hooks and resolvers. Owns one worker per plugin
 * that has work; idle plugins keep no worker (see PluginInstance).
 */
export class PluginHost {
  readonly notifications: PluginNotifications;
  readonly limits: PluginLimits;
  private readonly plugins = new Map<string, PluginInstance>();
  private readonly state: PluginStateStore;
  private readonly registrations: PluginRegistrations;
  private readonly services: HostServices;
  private readonly pluginJobs: PluginJobs;
  private readonly paths: PluginPaths;
  private nextTask = 1;
  private closed = false;
  /** Settles once every plugin found at start has started or failed. */
  ready: Promise<void> = Promise.resolve();

  constructor(private readonly options: PluginHostOptions) {
    this.limits = { ...defaultLimits, ...options.limits };
    this.notifications = new PluginNotifications(options.clock);
    this.state = new PluginStateStore(options.db, options.clock);
    this.registrations = new PluginRegistrations(options.db);
    this.pluginJobs = new PluginJobs({
      jobs: options.jobs,
      find: (name) => this.active(name),
      resource: (id) => options.library.get(id),
      nextTask: () => this.task(),
      jobSliceMs: () => this.limits.jobMs,
    });
    const downloadDir = options.downloadDir;
    this.paths = new PluginPaths({
      downloadDir: typeof downloadDir === 'string' ? () => downloadDir : downloadDir,
      dataDir: options.dataDir ?? dirname(options.userDir),
    });
    this.services = {
      jobs: this.pluginJobs,
      tasks: new PluginTasks(options.jobs),
      paths: this.paths,
      files: new FileAccess(options.library, this.paths),
      storage: new PluginStorage(options.db),
      notifications: this.notifications,
      submit: (input, limits) => options.jobs.submit(input, limits),
    };
    const hooks = new PluginHooks({
      plugins: () => this.plugins.values(),
      active: (name) => this.active(name),
      settled: () => this.settled(),
      nextTask: () => this.task(),
      limits: this.limits,
      library: options.library,
    });
    options.completionHooks.add(
      'plugins',
      (event) => hooks.runCompletionHooks(event),
      () => hooks.hasCompletionHooks(),
    );
    options.jobs.tasks.onControl((job) => hooks.tellControl(job));
  }

  /** What the job core runs plugin jobs with. */
  get jobRunner(): PluginJobRunner {
    return this.pluginJobs;
  }

  private task(): number {
    this.nextTask = this.nextTask >= 0x7ffffff0 ? 1 : this.nextTask + 1;
    return this.nextTask;
  }

  /** Reads both plugin folders and starts every enabled plugin. */
  start(): Promise<void> {
    removeStaleStaging(this.options.userDir);
    const sources = [...scanPlugins(this.options.bundledDir, true), ...scanPlugins(this.options.userDir, false)];
    for (const source of sources) this.adopt(source);
    const starting = [...this.plugins.values()].filter((p) => p.enabled).map((p) => p.start());
    this.ready = Promise.all(starting).then(() => undefined);
    return this.ready;
  }

  /** Registers a plugin read from disk (replacing one of the same name), without starting it. */
  private adopt(source: PluginSource): PluginInstance {
    const existing = this.plugins.get(source.name);
    if (existing?.source.bundled && !source.bundled) {
      source = { ...source, error: `a bundled plugin is already called ${source.name}` };
      source.name = `${source.name} (${source.dir})`;
    }
    const instance = new PluginInstance(source, {
      workerFile: this.options.workerFile ?? defaultWorkerFile(),
      limits: this.limits,
      downloadDir: () => this.paths.downloadDir(),
      serve: (plugin, method, args) => serveHostCall(this.services, plugin, method, args),
      remembered: (key) => this.registrations.get(source.name, key),
      remember: (key, list) => this.registrations.set(source.name, key, list),
      holding: () => this.pluginJobs.kept > 0,
    });
    const choice = this.state.get(source.name);
    instance.enabled = choice?.enabled ?? source.manifest?.enabledByDefault ?? true;
    if (source.manifest) instance.settings = effectiveSettings(source.manifest, choice?.settings ?? {});
    if (!instance.enabled) instance.state = 'disabled';
    if (source.error) {
      instance.state = 'error';
      instance.error = source.error;
      console.warn(`haul: plugin ${source.name} not loaded: ${source.error}`);
    }
    this.plugins.set(source.name, instance);
    return instance;
  }

  list(): PluginInfo[] {
    return [...this.plugins.values()].map((p) => p.info());
  }

  private get(name: string): PluginInstance {
    const instance = this.plugins.get(name);
    if (!instance) throw new HaulError('not_found', `No plugin called ${name}.`);
    return instance;
  }

  /** Waits for plugins that are (re)starting, e.g. after a crash, so they are not skipped. */
  private async settled(): Promise<void> {
    await Promise.all(
      [...this.plugins.values()].filter((p) => p.enabled && p.state === 'starting').map((p) => p.start()),
    );
  }

  private active(name: string): PluginInstance | undefined {
    const instance = this.plugins.get(name);
    return instance?.enabled && instance.state === 'active' ? instance : undefined;
  }

  private remember(instance: PluginInstance): void {
    this.state.set(instance.name, { enabled: instance.enabled, settings: instance.settings });
  }

  async enable(name: string): Promise<PluginInfo> {
    const instance = this.get(name);
    if (instance.source.error) throw new HaulError('conflict', `Plugin ${name} cannot run: ${instance.source.error}`);
    instance.enabled = true;
    this.remember(instance);
    if (instance.state !== 'active') await instance.start();
    return instance.info();
  }

  async disable(name: string): Promise<PluginInfo> {
    const instance = this.get(name);
    instance.enabled = false;
    this.remember(instance);
    await instance.stop('disabled');
    return instance.info();
  }

  updateSettings(name: string, values: Record<string, string | number | boolean>): PluginInfo {
    const instance = this.get(name);
    const manifest = instance.source.manifest;
    if (!manifest) throw new HaulError('conflict', `Plugin ${name} cannot be configured: ${instance.source.error}`);
    const next = { ...instance.settings };
    for (const [key, value] of Object.entries(values)) {
      const setting = manifest.settings.find((s) => s.key === key);
      if (!setting) throw new HaulError('invalid_input', `values.${key}: plugin ${name} has no such setting`);
      const problem = settingValueProblem(setting, value);
      if (problem) throw new HaulError('invalid_input', `values.${key}: ${problem}`);
      next[key] = value;
    }
    instance.pushSettings(next);
    this.remember(instance);
    return instance.info();
  }

  /** The download folder changed in the settings: running plugins see the new one. */
  downloadDirChanged(): void {
    const dir = this.paths.downloadDir();
    for (const instance of this.plugins.values()) instance.pushDownloadDir(dir);
  }

  /**
   * Installs a folder or .zip into the user plugin folder and starts it. A plugin under an
   * installed one's name takes that one's settings and stored data (an update does), so
   * it is installed only when `replace` says the user was told what it replaces: plugins
   * are not signed, and anyone can give one that name.
   */
  async install(path: string, replace = false): Promise<PluginInfo> {
    const bundledNames = new Set([...this.plugins.values()].filter((p) => p.source.bundled).map((p) => p.name));
    const dir = await installPlugin(path, this.options.userDir, bundledNames, (incoming) => {
      const installed = this.plugins.get(incoming.name)?.source;
      if (!installed || replace) return;
      throw new HaulError('conflict', replacement(installed, incoming), { field: 'replace' });
    });
    return (await this.reloadOne(dir, false)).info();
  }

  /** Reads plugins from disk again and restarts them: new code without an app restart. */
  async reload(name?: string): Promise<PluginInfo[]> {
    if (name !== undefined) {
      const instance = this.get(name);
      await this.reloadOne(instance.source.dir, instance.source.bundled);
      return this.list();
    }
    await Promise.all([...this.plugins.values()].map((p) => p.stop()));
    this.plugins.clear();
    await this.start();
    return this.list();
  }

  private async reloadOne(dir: string, bundled: boolean): Promise<PluginInstance> {
    const source = readPluginFolder(dir, bundled);
    await this.plugins.get(source.name)?.stop();
    const instance = this.adopt(source);
    if (instance.enabled && !source.error) await instance.start();
    return instance;
  }

  /** Whether a plugin's worker runs now (diagnostics and tests; it sleeps when idle). */
  isAwake(name: string): boolean {
    return this.plugins.get(name)?.awake ?? false;
  }

  logOf(name: string): string[] {
    return this.get(name).logTail();
  }

  listActions(entityType: 'resource' | 'custom', resourceId?: number): PluginAction[] {
    const resource = resourceId !== undefined ? this.options.library.get(resourceId) : undefined;
    const actions: PluginAction[] = [];
    for (const instance of this.plugins.values()) {
      if (!this.active(instance.name)) continue;
      for (const action of instance.actions.values()) {
        if (action.entity !== entityType) continue;
        if (resource && !matchesContentType(action.filters.contentTypes, resource.contentType)) continue;
        actions.push(listedAction(instance.name, action));
      }
    }
    return actions;
  }

  async runAction(input: ParsedInput<'actions.run'>): Promise<CommandOutput<'actions.run'>> {
    const instance = this.plugins.get(input.pluginName);
    if (!instance) throw new HaulError('not_found', `No plugin called ${input.pluginName}.`);
    await this.settled();
    if (!this.active(instance.name)) {
      throw new HaulError('conflict', `Plugin ${instance.name} is not running (${instance.error ?? instance.state}).`);
    }
    const action = instance.actions.get(input.actionId);
    if (!action) throw new HaulError('not_found', `Plugin ${instance.name} has no action ${input.actionId}.`);
    const resource = actionResource(action, input.resourceId, this.options.library);
    const params = validateParams(action.params, input.params ?? {});
    if (action.async) {
      return { kind: 'job', job: this.pluginJobs.runAction(instance, action, resource, params, input.idempotencyKey) };
    }
    try {
      const value = await instance.call(
        { kind: 'action', actionId: action.id, params, resource, jobId: null },
        this.task(),
        this.limits.syncMs,
        this.limits.syncMs,
      );
      return { kind: 'result', result: asActionResult(value) };
    } catch (error) {
      const message = describeFailure(instance.name, error, this.limits.syncMs);
      instance.log('error', `action ${action.id}: ${message}`);
      return { kind: 'result', result: { success: false, message, data: null } };
    }
  }

  /** downloads.submit with every running plugin's haul.resolve in front. */
  async submit(input: Submit): Promise<CommandOutput<'downloads.submit'>> {
    const jobs = this.options.jobs;
    const replay =
      input.idempotencyKey !== undefined && jobs.store.byIdempotencyFamily(input.idempotencyKey).length > 0;
    if (replay || this.closed) return jobs.submit(input);
    await this.ready;
    await this.settled();
    const resolving = [...this.plugins.values()].filter((p) => this.active(p.name) && p.resolves);
    if (resolving.length === 0) return jobs.submit(input);
    return submitWithResolvers(
      input,
      (url) => this.resolveUrl(resolving, url),
      (next, limits) => jobs.submit(next, limits),
      (url) => resolving.some((instance) => instance.mayResolve(url)),
    );
  }

  private async resolveUrl(plugins: PluginInstance[], url: string): Promise<ResolvedLink[] | undefined> {
    for (const instance of plugins) {
      // A sleeping plugin is not woken for a URL none of its patterns can match.
      if (!instance.mayResolve(url)) continue;
      try {
        const answer = await instance.call(
          { kind: 'resolve', url },
          this.task(),
          this.limits.resolveMs,
          this.limits.resolveMs,
        );
        if (answer !== null && answer !== undefined) {
          const links = parseResolverAnswer(answer);
          checkResolvedLinks(links, url, instance.source.manifest?.hosts ?? []);
          return links;
        }
      } catch (error) {
        // A broken resolver must not cost the user the download: the URL goes on unchanged.
        instance.log('error', `resolve ${url}: ${describeFailure(instance.name, error, this.limits.resolveMs)}`);
      }
    }
    return undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.plugins.values()].map((p) => p.stop()));
  }
}

export function userPluginsDir(dataDir: string): string {
  return join(dataDir, 'plugins');
}
