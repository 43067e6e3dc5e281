import type { PluginInfo } from '../../../src-common/contract';
import { ActionDeclaration } from './action-params';
import { describeZodIssues, effectiveSettings } from './manifest';
import type { PluginSource } from './plugin-loader';
import { maxRegistrations, RegistrationShape, registrationIdentity, registrationKey } from './plugin-registrations';
import type { CallOp, Registration } from './protocol';
import { resolverMayMatch } from './resolver-match';
import { SandboxFailure, WorkerClient } from './worker-client';

/** The sandbox's limits. Tests shorten them; the defaults are the event-stream API's. */
export interface PluginLimits {
  /** A sync action, from call to answer. @default 5 s */
  syncMs: number;
  /** An async job (the job core enforces it; the sandbox uses it as its CPU slice). @default 5 min */
  jobMs: number;
  /** One download.completed hook run. @default 30 s */
  hookMs: number;
  /** One URL through one plugin's resolvers at submit. @default 5 s */
  resolveMs: number;
  /** @default 64 MB, unless plugin.json asks for memoryMb */
  memoryMb: number;
  /** How long a stuck worker gets to answer before it is terminated and replaced. @default 3 s */
  graceMs: number;
  /** Starting the worker and running activate. @default 30 s */
  startMs: number;
  /** A worker with nothing to do for this long is stopped; the next work starts it again. @default 60 s */
  idleMs: number;
}

export const defaultLimits: PluginLimits = {
  syncMs: 5000,
  jobMs: 5 * 60_000,
  hookMs: 30_000,
  resolveMs: 5000,
  memoryMb: 64,
  graceMs: 3000,
  startMs: 30_000,
  idleMs: 60_000,
};

/** Crashes within this window count towards giving up on a plugin. */
const crashWindowMs = 60_000;
const maxCrashes = 3;
const keptLogLines = 500;

export interface InstanceEnv {
  workerFile: string;
  limits: PluginLimits;
  /** The current download folder, read at each start. */
  downloadDir(): string;
  serve(instance: PluginInstance, method: string, args: unknown[], reply: boolean): unknown;
  /** What activate registered when it last ran under this key (see PluginRegistrations). */
  remembered(key: string): Registration[] | undefined;
  remember(key: string, registrations: readonly Registration[]): void;
  /** True while work held inside some worker waits to run (a haul.startJob function): nobody sleeps then. */
  holding(): boolean;
}

type Resolver = Extract<Registration, { what: 'resolver' }>;

/**
 * One plugin: its source, the user's choices, its worker and what it registered.
 * The worker runs only while the plugin has work: at start the plugin is active with what
 * its activate registered last time (same code and settings), and a call (an action, a
 * hook, a resolver whose pattern matches) starts the worker; `idleMs` after its last call
 * it is stopped again. Only a plugin never seen with this code and settings starts its
 * worker at once, to learn what it registers.
 */
export class PluginInstance {
  state: PluginInfo['state'] = 'disabled';
  error: string | null = null;
  enabled = false;
  settings: Record<string, string | number | boolean> = {};
  readonly actions = new Map<string, ActionDeclaration>();
  readonly resolvers: Resolver[] = [];
  readonly hooks = new Set<string>();
  private registered: Registration[] = [];
  /** The cap on registrations was met and said (once a worker). */
  private capSaid = false;
  /**
   * Settings went to a running worker: what it registers from them in its
   * settings.changed handler may not have reached the host yet, so every URL may match
   * until a worker started with the current settings has registered.
   */
  private resolversStale = false;
  private client: WorkerClient | undefined;
  private waking: Promise<void> | undefined;
  /** Calls in flight in the current worker; it sleeps only at zero. */
  private calls = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly logLines: string[] = [];
  private crashes: number[] = [];
  private starting: Promise<void> | undefined;
  /** Bumped by every spawn and stop, so events of an old worker are told apart. */
  private generation = 0;

  constructor(
    readonly source: PluginSource,
    private readonly env: InstanceEnv,
  ) {
    if (source.manifest) this.settings = effectiveSettings(source.manifest, {});
  }

  get name(): string {
    return this.source.name;
  }

  /** Whether this plugin may resolve some URL (see `resolversStale`). */
  get resolves(): boolean {
    return this.resolversStale || this.resolvers.length > 0;
  }

  /** Whether `url` may reach one of its resolvers: checked before its worker is woken. */
  mayResolve(url: string): boolean {
    return this.resolversStale || this.resolvers.some((resolver) => resolverMayMatch(resolver, url));
  }

  /** Whether its worker runs now (for tests and diagnostics). */
  get awake(): boolean {
    return this.client !== undefined;
  }

  /**
   * Makes the plugin active: from what it registered before when that is known, else by
   * starting the worker and running activate. Settles when it is active or has failed.
   */
  start(): Promise<void> {
    this.starting ??= this.begin().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private registrationKey(): string {
    return registrationKey(this.source.manifest, this.source.code ?? '', this.settings);
  }

  private async begin(): Promise<void> {
    const { manifest, code } = this.source;
    if (!manifest || code === undefined) {
      this.state = 'error';
      this.error = this.source.error ?? 'the plugin could not be read';
      return;
    }
    const known = this.client ? undefined : this.env.remembered(this.registrationKey());
    if (!known) return this.spawn();
    this.apply(known);
    this.state = 'active';
    this.error = null;
  }

  /** Starts the worker of an active plugin that sleeps; calls wait for it. */
  private wake(): Promise<void> {
    this.waking ??= this.spawn().finally(() => (this.waking = undefined));
    return this.waking;
  }

  /** The memory its sandbox may use: plugin.json's memoryMb, or the default. */
  get memoryBytes(): number {
    return (this.source.manifest?.memoryMb ?? this.env.limits.memoryMb) * 1024 * 1024;
  }

  private async spawn(): Promise<void> {
    const { manifest, code } = this.source;
    if (!manifest || code === undefined) return;
    // Waking keeps the plugin active (its actions stay listed) while activate runs again.
    if (this.state !== 'active') {
      this.state = 'starting';
      this.error = null;
    }
    const generation = ++this.generation;
    this.capSaid = false;
    const key = this.registrationKey();
    const settings = this.settings;
    const collected: Registration[] = [];
    let ready = false;
    const client: WorkerClient = new WorkerClient({
      workerFile: this.env.workerFile,
      graceMs: this.env.limits.graceMs,
      startMs: this.env.limits.startMs,
      init: {
        name: manifest.name,
        code,
        settings: this.settings,
        memoryBytes: this.memoryBytes,
        sliceMs: this.env.limits.syncMs,
        downloadDir: this.env.downloadDir(),
      },
      onRegister: (sent) => {
        if (generation !== this.generation) return;
        const list = ready ? this.registered : collected;
        const registration = this.admitted(sent, list);
        if (!registration || !ready) return;
        // Registered after activate (in a handler): it counts from now on, and next time.
        this.register(registration);
        this.env.remember(key, this.registered);
      },
      onHostCall: (method, args, reply) => this.env.serve(this, method, args, reply),
      onExit: (reason) => this.exited(generation, reason),
    });
    this.client = client;
    this.calls = 0;
    try {
      await client.ready;
      if (generation !== this.generation) return;
      ready = true;
      this.apply(collected);
      if (this.settings === settings) this.resolversStale = false;
      this.env.remember(key, collected);
      this.state = 'active';
      this.armIdle();
    } catch (error) {
      if (generation !== this.generation) return;
      this.state = 'error';
      this.error = `activate failed: ${(error as Error).message}`;
      this.log('error', this.error);
      this.client = undefined;
      await client.terminate(this.error);
    }
  }

  /**
   * `sent` checked and put in `list`: a registration the same as one there replaces it (an
   * action declared again), and past maxRegistrations the rest are refused. Undefined when
   * refused, or when it is the very same as one already there (nothing to save).
   */
  private admitted(sent: unknown, list: Registration[]): Registration | undefined {
    const parsed = RegistrationShape.safeParse(sent);
    if (!parsed.success) {
      this.log('error', `a registration was refused: ${describeZodIssues(parsed.error)}`);
      return undefined;
    }
    const registration = parsed.data;
    const identity = registrationIdentity(registration);
    const at = list.findIndex((known) => registrationIdentity(known) === identity);
    if (at >= 0) {
      if (JSON.stringify(list[at]) === JSON.stringify(registration)) return undefined;
      list[at] = registration;
      return registration;
    }
    if (list.length >= maxRegistrations) {
      if (!this.capSaid)
        this.log('error', `more than ${maxRegistrations} actions, resolvers and hooks: the rest are refused`);
      this.capSaid = true;
      return undefined;
    }
    list.push(registration);
    return registration;
  }

  /** Replaces what the plugin registered with `list`. */
  private apply(list: readonly Registration[]): void {
    this.actions.clear();
    this.resolvers.length = 0;
    this.hooks.clear();
    for (const registration of list) this.register(registration);
    this.registered = [...list];
  }

  private register(registration: Registration): void {
    if (registration.what === 'action') {
      const parsed = ActionDeclaration.safeParse(registration.declaration);
      if (!parsed.success) {
        this.log('error', `haul.action refused: ${describeZodIssues(parsed.error)}`);
        return;
      }
      this.actions.set(parsed.data.id, parsed.data);
    } else if (registration.what === 'resolver') {
      this.resolvers.push(registration);
    } else {
      this.hooks.add(registration.event);
    }
  }

  /**
   * (Re)starts the idle countdown of a worker with no call in flight. A worker that got
   * new settings while it ran is replaced sooner: once its settings.changed handler has had
   * its synchronous slice and it has nothing to do, another starts and runs activate with
   * them. Until then every URL goes through the plugin (`resolversStale`).
   */
  private armIdle(idleMs = this.resolversStale ? this.env.limits.syncMs : this.env.limits.idleMs): void {
    clearTimeout(this.idleTimer);
    if (!this.client || this.calls > 0) return;
    this.idleTimer = setTimeout(() => this.sleep(), idleMs);
    this.idleTimer.unref();
  }

  private sleep(): void {
    if (!this.client || this.calls > 0 || this.state !== 'active') return;
    if (this.env.holding()) return this.armIdle(this.env.limits.idleMs);
    const client = this.client;
    this.client = undefined;
    this.generation += 1; // its exit is not a crash
    // terminate() never rejects; nothing waits on a worker that had nothing to do.
    void client.terminate(this.resolversStale ? 'its settings changed' : 'it had nothing to do');
    // spawn() never rejects; a failure shows in the plugin's state.
    if (this.resolversStale) void this.wake();
  }

  /**
   * The worker died: count it, and start a fresh one unless it keeps dying. A death while
   * starting is reported by spawn as a failed activate instead.
   */
  private exited(generation: number, reason: string): void {
    if (generation !== this.generation || this.state !== 'active') return;
    this.client = undefined;
    const now = Date.now();
    this.crashes = [...this.crashes.filter((at) => now - at < crashWindowMs), now];
    this.log('error', `stopped: ${reason}`);
    if (this.crashes.length >= maxCrashes) {
      this.state = 'error';
      this.error = `stopped ${maxCrashes} times within a minute (last: ${reason}); reload it to try again`;
      return;
    }
    void this.start();
  }

  async stop(state: 'disabled' | 'error' = 'disabled'): Promise<void> {
    clearTimeout(this.idleTimer);
    this.generation += 1;
    const client = this.client;
    this.client = undefined;
    this.state = state;
    await client?.terminate('the plugin was stopped');
  }

  /** Runs an operation in the sandbox, starting a sleeping worker first; fails at once when the plugin is not running. */
  async call(op: CallOp, task: number, sliceMs: number, wallMs?: number): Promise<unknown> {
    if (this.starting) await this.starting;
    if (this.state === 'active' && !this.client) await this.wake();
    const client = this.client;
    if (this.state !== 'active' || !client) {
      throw new SandboxFailure('crashed', `the plugin is not running (${this.error ?? this.state})`);
    }
    this.calls += 1;
    clearTimeout(this.idleTimer);
    try {
      return await client.call(op, task, sliceMs, wallMs);
    } finally {
      // A call of a worker that has since been replaced does not count for the new one.
      if (client === this.client) {
        this.calls -= 1;
        this.armIdle();
      }
    }
  }

  interrupt(task: number): void {
    this.client?.interrupt(task);
  }

  pushSettings(values: Record<string, string | number | boolean>): void {
    this.settings = values;
    if (this.client) {
      this.client.updateSettings(values);
      this.resolversStale = true;
      this.armIdle();
    }
    // Asleep: activate runs with the new settings, so that what it registers is known.
    // spawn() never rejects; a failure shows in the plugin's state.
    else if (this.state === 'active') void this.wake();
  }

  /** The user chose another download folder: `haul.files.downloadDir` follows. */
  pushDownloadDir(dir: string): void {
    this.client?.updateFolders(dir);
  }

  log(level: string, line: string): void {
    this.logLines.push(`${new Date().toISOString()} ${level} ${line.slice(0, 2000)}`);
    if (this.logLines.length > keptLogLines) this.logLines.shift();
  }

  logTail(): string[] {
    return [...this.logLines];
  }

  info(): PluginInfo {
    const manifest = this.source.manifest;
    return {
      name: this.name,
      version: manifest?.version ?? '0.0.0',
      description: manifest?.description ?? '',
      author: manifest?.author ?? '',
      bundled: this.source.bundled,
      enabled: this.enabled,
      state: this.state,
      error: this.error,
      permissions: manifest?.permissions ?? [],
      hosts: manifest?.hosts ?? [],
      settingsSchema: manifest?.settings ?? [],
      settings: this.settings,
      path: this.source.dir,
    };
  }
}
