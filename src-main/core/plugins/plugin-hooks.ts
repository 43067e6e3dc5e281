import type { DownloadJob, Resource, TaskJob } from '../../../src-common/contract';
import { jobForHooks } from './completion-hooks';
import type { ResourceAccess } from './file-access';
import type { PluginInstance, PluginLimits } from './plugin-instance';
import { describeFailure } from './sandbox-failure';

export interface PluginHooksOptions {
  /** Every plugin the host holds now, running or not. */
  plugins(): Iterable<PluginInstance>;
  /** The running instance of a plugin now, or undefined. */
  active(name: string): PluginInstance | undefined;
  /** Settles once plugins that are (re)starting have started or failed. */
  settled(): Promise<void>;
  nextTask(): number;
  /** The host's limits, read at each call (`hookMs`). */
  limits: PluginLimits;
  library: ResourceAccess;
}

/**
 * What plugins hear through haul.on: download.completed in a download's processing step,
 * and job.control for their own tasks. Only plugins that registered the event are called.
 */
export class PluginHooks {
  constructor(private readonly options: PluginHooksOptions) {}

  /** haul.on('job.control'): a plugin hears what was asked of its tasks (pause, resume, suspend, cancel, end). */
  tellControl(job: TaskJob): void {
    if (job.createdBy !== 'plugin') return;
    const instance = this.options.active(job.creator);
    if (!instance?.hooks.has('job.control')) return;
    const { id, status, control, state, retryAt } = job;
    const op = { kind: 'hook', event: 'job.control', payload: { id, status, control, state, retryAt } } as const;
    const { limits } = this.options;
    // Not awaited: the change is already recorded; a listener that fails is only logged.
    void instance.call(op, this.options.nextTask(), limits.hookMs, limits.hookMs).catch((error: unknown) => {
      instance.log('warn', `job.control: ${describeFailure(instance.name, error, limits.hookMs)}`);
    });
  }

  /** True while a plugin listens to download.completed, or may once it has started. */
  hasCompletionHooks(): boolean {
    for (const p of this.options.plugins()) {
      if (!p.enabled) continue;
      if (p.state === 'starting' || (p.state === 'active' && p.hooks.has('download.completed'))) return true;
    }
    return false;
  }

  async runCompletionHooks(event: { job: DownloadJob; resource: Resource }): Promise<void> {
    const { limits, library } = this.options;
    const failures: string[] = [];
    await this.options.settled();
    for (const instance of this.options.plugins()) {
      if (!this.options.active(instance.name) || !instance.hooks.has('download.completed')) continue;
      try {
        // The resource as it is now: an earlier plugin may have moved it.
        const resource = library.get(event.resource.id);
        await instance.call(
          { kind: 'hook', event: 'download.completed', payload: { job: jobForHooks(event.job), resource } },
          this.options.nextTask(),
          limits.hookMs,
          limits.hookMs,
        );
      } catch (error) {
        const message = describeFailure(instance.name, error, limits.hookMs);
        instance.log('error', `download.completed: ${message}`);
        failures.push(message);
      }
    }
    if (failures.length > 0) throw new Error(failures.join(' '));
  }
}
