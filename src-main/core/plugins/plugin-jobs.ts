import type { PluginJob, Resource } from '../../../src-common/contract';
import type { JobCenter } from '../jobs/job-center';
import { JobFailure } from '../jobs/runner';
import type { PluginJobContext, PluginJobRun } from '../jobs/scheduler';
import type { ActionDeclaration } from './action-params';
import type { PluginInstance } from './plugin-instance';
import type { CallOp } from './protocol';
import { describeFailure } from './sandbox-failure';

interface ActiveJob {
  plugin: string;
  task: number;
  context: PluginJobContext;
  resolve(result: Record<string, unknown>): void;
  reject(error: JobFailure): void;
}

/** A handler's return value as a job result (the job core wants an object). */
export function asResult(value: unknown): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  return { value };
}

/**
 * Plugin work that runs as jobs of the job core's plugin queue: async actions and
 * haul.startJob. A job ends at the first of: its function settles, haul.job.complete,
 * haul.job.fail, cancel or timeout. Anything the plugin says about it afterwards is
 * ignored and logged.
 */
export class PluginJobs {
  private readonly active = new Map<string, ActiveJob>();

  constructor(
    private readonly jobs: JobCenter,
    private readonly nextTask: () => number,
    private readonly jobSliceMs: () => number,
  ) {}

  runAction(
    instance: PluginInstance,
    action: ActionDeclaration,
    resource: Resource | null,
    params: Record<string, unknown>,
  ): PluginJob {
    return this.jobs.createPluginJob(
      {
        pluginName: instance.name,
        actionId: action.id,
        label: action.label,
        entityType: action.entity,
        entityId: resource?.id ?? null,
        params,
      },
      this.run(instance, (jobId) => ({ kind: 'action', actionId: action.id, params, resource, jobId })),
    );
  }

  startJob(instance: PluginInstance, label: unknown, callbackId: unknown): string {
    if (typeof callbackId !== 'number') throw new Error('startJob: bad callback');
    const text = typeof label === 'string' && label.trim() !== '' ? label.slice(0, 200) : 'Plugin job';
    const job = this.jobs.createPluginJob(
      { pluginName: instance.name, actionId: 'start_job', label: text, entityType: 'custom' },
      this.run(instance, (jobId) => ({ kind: 'job', callbackId, jobId })),
    );
    return job.id;
  }

  private run(instance: PluginInstance, op: (jobId: string) => CallOp): PluginJobRun {
    return (context) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const id = context.job.id;
        const task = this.nextTask();
        const end = () => this.active.delete(id);
        this.active.set(id, {
          plugin: instance.name,
          task,
          context,
          resolve: (result) => {
            end();
            resolve(result);
          },
          reject: (error) => {
            end();
            reject(error);
          },
        });
        context.signal.addEventListener(
          'abort',
          () => {
            // The job core settles the job; stop whatever the sandbox still runs for it.
            if (this.active.has(id)) instance.interrupt(task);
            end();
          },
          { once: true },
        );
        instance.call(op(id), task, this.jobSliceMs()).then(
          (value) => this.finish(id, value),
          (error: unknown) =>
            this.active.get(id)?.reject(new JobFailure('plugin', describeFailure(instance.name, error))),
        );
      });
  }

  private finish(id: string, value: unknown): void {
    const entry = this.active.get(id);
    if (!entry) return;
    const result = asResult(value);
    if (result.success === false) {
      entry.reject(
        new JobFailure('plugin', typeof result.message === 'string' ? result.message : 'The action failed.'),
      );
    } else entry.resolve(result);
  }

  /** The job of `plugin` that is still running, or undefined after logging why not. */
  private own(instance: PluginInstance, jobId: unknown, what: string): ActiveJob | undefined {
    const entry = typeof jobId === 'string' ? this.active.get(jobId) : undefined;
    if (entry && entry.plugin === instance.name) return entry;
    const note = `haul.job.${what}(${String(jobId)}) ignored: the job is not running (it ended, or it is not this plugin's)`;
    instance.log('warn', note);
    if (typeof jobId === 'string') {
      const job = this.jobs.registry.stored(jobId)?.job;
      if (job?.source === 'plugin' && job.pluginName === instance.name) this.jobs.registry.log(jobId, note);
    }
    return undefined;
  }

  progress(instance: PluginInstance, jobId: unknown, percent: unknown, message: unknown): void {
    const entry = this.own(instance, jobId, 'progress');
    const text = typeof message === 'string' ? message.slice(0, 500) : undefined;
    entry?.context.progress(Number(percent), text);
  }

  /** Progress reported by the host itself (hashing) on behalf of a plugin's job. */
  hostProgress(instance: PluginInstance, jobId: unknown, percent: number, message: string): void {
    const entry = typeof jobId === 'string' ? this.active.get(jobId) : undefined;
    if (entry && entry.plugin === instance.name) entry.context.progress(percent, message);
  }

  complete(instance: PluginInstance, jobId: unknown, result: unknown): void {
    this.own(instance, jobId, 'complete')?.resolve(asResult(result));
  }

  fail(instance: PluginInstance, jobId: unknown, message: unknown): void {
    const text = typeof message === 'string' && message !== '' ? message : 'The plugin reported a failure.';
    this.own(instance, jobId, 'fail')?.reject(new JobFailure('plugin', text.slice(0, 2000)));
  }

  log(instance: PluginInstance, jobId: unknown, line: unknown): void {
    const entry = this.own(instance, jobId, 'log');
    entry?.context.log(String(line).slice(0, 2000));
  }

  /** For JobCenter.setPluginRetry: a failed action job runs again; a startJob one cannot. */
  retryRun(
    job: PluginJob,
    find: (name: string) => PluginInstance | undefined,
    resource: (id: number) => Resource,
  ): PluginJobRun | undefined {
    const instance = find(job.pluginName);
    const action = instance?.actions.get(job.actionId);
    if (!instance || !action || job.actionId === 'start_job') return undefined;
    const target = job.entityId !== null ? resource(job.entityId) : null;
    return this.run(instance, (jobId) => ({
      kind: 'action',
      actionId: action.id,
      params: job.params,
      resource: target,
      jobId,
    }));
  }
}
