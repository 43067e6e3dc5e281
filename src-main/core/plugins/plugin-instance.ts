import type { PluginInfo } from '../../../src-common/contract';
import { ActionDeclaration } from './action-params';
import { describeZodIssues, effectiveSettings } from './manifest';
import type { PluginSource } from './plugin-loader';
import type { CallOp, Registration } from './protocol';
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
}

export const defaultLimits: PluginLimits = {
  syncMs: 5000,
  jobMs: 5 * 60_000,
  hookMs: 30_000,
  resolveMs: 5000,
  memoryMb: 64,
  graceMs: 3000,
  startMs: 30_000,
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
}

/** One plugin: its source, the user's choices, its worker and what it registered. */
export class PluginInstance {
  state: PluginInfo['state'] = 'disabled';
  error: string | null = null;
  enabled = false;
  settings: Record<string, string | number | boolean> = {};
  readonly actions = new Map<string, ActionDeclaration>();
  readonly resolvers: string[] = [];
  readonly hooks = new Set<string>();
  private client: WorkerClient | undefined;
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

  /** Starts the worker and runs activate; settles when it is active or has failed. */
  start(): Promise<void> {
    this.starting ??= this.spawn().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async spawn(): Promise<void> {
    const { manifest, code } = this.source;
    if (!manifest || code === undefined) {
      this.state = 'error';
      this.error = this.source.error ?? 'the plugin could not be read';
      return;
    }
    this.actions.clear();
    this.resolvers.length = 0;
    this.hooks.clear();
    this.state = 'starting';
    this.error = null;
    const generation = ++this.generation;
    const client: WorkerClient = new WorkerClient({
      workerFile: this.env.workerFile,
      graceMs: this.env.limits.graceMs,
      startMs: this.env.limits.startMs,
      init: {
        name: manifest.name,
        code,
        settings: this.settings,
        memoryBytes: (manifest.memoryMb ?? this.env.limits.memoryMb) * 1024 * 1024,
        sliceMs: this.env.limits.syncMs,
        downloadDir: this.env.downloadDir(),
      },
      onRegister: (registration) => this.register(registration),
      onHostCall: (method, args, reply) => this.env.serve(this, method, args, reply),
      onExit: (reason) => this.exited(generation, reason),
    });
    this.client = client;
    try {
      await client.ready;
      if (generation === this.generation) this.state = 'active';
    } catch (error) {
      if (generation !== this.generation) return;
      this.state = 'error';
      this.error = `activate failed: ${(error as Error).message}`;
      this.log('error', this.error);
      this.client = undefined;
      await client.terminate(this.error);
    }
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
      this.resolvers.push(registration.pattern);
    } else {
      this.hooks.add(registration.event);
    }
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
    this.generation += 1;
    const client = this.client;
    this.client = undefined;
    this.state = state;
    await client?.terminate('the plugin was stopped');
  }

  /** Runs an operation in the sandbox; fails at once when the plugin is not running. */
  async call(op: CallOp, task: number, sliceMs: number, wallMs?: number): Promise<unknown> {
    if (this.starting) await this.starting;
    if (this.state !== 'active' || !this.client) {
      throw new SandboxFailure('crashed', `the plugin is not running (${this.error ?? this.state})`);
    }
    return this.client.call(op, task, sliceMs, wallMs);
  }

  interrupt(task: number): void {
    this.client?.interrupt(task);
  }

  pushSettings(values: Record<string, string | number | boolean>): void {
    this.settings = values;
    this.client?.updateSettings(values);
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
