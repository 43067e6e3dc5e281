import { TaskProgressInput, type PluginJob, type Resource } from '../../../src-common/contract';
import { describeIssues } from '../errors';
import type { JobCenter } from '../jobs/job-center';
import { maxJsonChars } from '../jobs/task-center';
import { JobFailure, type PluginJobContext, type PluginJobRunner } from '../jobs/runner';
import type { ActionDeclaration } from './action-params';
import type { PluginInstance } from './plugin-instance';
import type { CallOp } from './protocol';
import { LineBudget } from './line-budget';
import { describeFailure } from './sandbox-failure';

interface ActiveJob {
  plugin: string;
  task: number;
  context: PluginJobContext;
  resolve(result: Record<string, unknown>): void;
  reject(error: JobFailure): void;
}

/** The `actionId` of jobs made by haul.startJob (their function lives in one worker only). */
const startJobAction = 'start_job';

/** A handler's return value as a job result (the job core wants an object). */
export function asResult(value: unknown): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  return { value };
}

/**
 * A job's result is kept with the job and sent to every client that connects, as a task's
 * is: the same limit on its size.
 */
const resultTooLarge = `The plugin's result is larger than ${maxJsonChars} characters of JSON.`;
const tooLarge = (result: Record<string, unknown>) => JSON.stringify(result).length > maxJsonChars;

export interface PluginJobsOptions {
  jobs: JobCenter;
  /** The running instance of a plugin now (after any reload), or undefined. */
  find(name: string): PluginInstance | undefined;
  resource(id: number): Resource;
  nextTask(): number;
  jobSliceMs(): number;
}

/**
 * Plugin work that runs as jobs of the job core's plugin queue: async actions and
 * haul.startJob. This is the one place that knows what a plugin job runs: the job core
 * asks it through PluginJobRunner, so an action job always runs in the plugin as it is
 * now, and everything kept for a job is dropped when its attempt ends.
 * A job ends at the first of: its function settles, haul.job.complete, haul.job.fail,
 * cancel or timeout. Anything the plugin says about it afterwards is ignored and logged.
 */
export class PluginJobs implements PluginJobRunner {
  /** Jobs whose attempt is running, for haul.job.* calls. */
  private readonly active = new Map<string, ActiveJob>();
  /** haul.startJob jobs not yet run: the worker that holds their function, and its id. */
  private readonly started = new Map<string, { instance: PluginInstance; callbackId: number }>();
  /** haul.job.log lines a job may take (see LineBudget). */
  private readonly lines = new LineBudget();

  constructor(private readonly options: PluginJobsOptions) {}

  runAction(
    instance: PluginInstance,
    action: ActionDeclaration,
    resource: Resource | null,
    params: Record<string, unknown>,
    idempotencyKey?: string,
  ): PluginJob {
    return this.options.jobs.createPluginJob({
      pluginName: instance.name,
      actionId: action.id,
      label: action.label,
      entityType: action.entity,
      entityId: resource?.id ?? null,
      params,
      idempotencyKey,
    });
  }

  startJob(instance: PluginInstance, label: unknown, callbackId: unknown): string {
    if (typeof callbackId !== 'number') throw new Error('startJob: bad callback');
    const text = typeof label === 'string' && label.trim() !== '' ? label.slice(0, 200) : 'Plugin job';
    const job = this.options.jobs.createPluginJob(
      { pluginName: instance.name, actionId: startJobAction, label: text, entityType: 'custom' },
      (created) => this.started.set(created.id, { instance, callbackId }),
    );
    return job.id;
  }

  refusal(job: PluginJob): string | undefined {
    if (job.actionId === startJobAction) {
      return `Job ${job.id} was started by plugin code and cannot be run again from here.`;
    }
    const instance = this.options.find(job.pluginName);
    if (!instance) return `The plugin ${job.pluginName} is not running; enable it and try again.`;
    if (!instance.actions.has(job.actionId)) return `The plugin ${job.pluginName} no longer offers ${job.actionId}.`;
    return undefined;
  }

  release(jobId: string): void {
    this.started.delete(jobId);
    this.active.delete(jobId);
  }

  /** How many jobs this keeps anything for (running, or started and not yet run). */
  get kept(): number {
    return new Set([...this.active.keys(), ...this.started.keys()]).size;
  }

  run(context: PluginJobContext): Promise<Record<string, unknown>> {
    const job = context.job;
    const target = this.target(job);
    if (typeof target === 'string') return Promise.reject(new JobFailure('plugin', target));
    const { instance, op } = target;
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = job.id;
      const task = this.options.nextTask();
      // Every step checks it still speaks for this attempt: a plugin that called
      // haul.job.fail and then returned answers twice, and a retry may start in between.
      const current = () => this.active.get(id) === entry;
      const end = () => {
        if (current()) this.active.delete(id);
      };
      const entry: ActiveJob = {
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
      };
      this.active.set(id, entry);
      context.signal.addEventListener(
        'abort',
        () => {
          // The job core settles the job; stop whatever the sandbox still runs for it.
          if (current()) instance.interrupt(task);
          end();
        },
        { once: true },
      );
      instance.call(op, task, this.options.jobSliceMs()).then(
        (value) => {
          if (current()) this.finish(entry, value);
        },
        (error: unknown) => {
          if (current()) entry.reject(new JobFailure('plugin', describeFailure(instance.name, error)));
        },
      );
    });
  }

  /** The plugin instance and call for one attempt of `job`, or why there is none. */
  private target(job: Readonly<PluginJob>): { instance: PluginInstance; op: CallOp } | string {
    if (job.actionId === startJobAction) {
      const started = this.started.get(job.id);
      this.started.delete(job.id); // the worker forgets the function once it has run it
      if (!started || this.options.find(job.pluginName) !== started.instance) {
        return 'The plugin was stopped or reloaded before this job could run; its code is gone.';
      }
      return { instance: started.instance, op: { kind: 'job', callbackId: started.callbackId, jobId: job.id } };
    }
    const why = this.refusal(job);
    if (why !== undefined) return why;
    const instance = this.options.find(job.pluginName)!;
    let resource: Resource | null;
    try {
      resource = job.entityId !== null ? this.options.resource(job.entityId) : null;
    } catch (error) {
      return `The library item this job works on is gone (${error instanceof Error ? error.message : String(error)}).`;
    }
    return { instance, op: { kind: 'action', actionId: job.actionId, params: job.params, resource, jobId: job.id } };
  }

  private finish(entry: ActiveJob, value: unknown): void {
    const result = asResult(value);
    if (tooLarge(result)) return entry.reject(new JobFailure('plugin', resultTooLarge));
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
      this.options.jobs.logPluginJob(jobId, instance.name, note);
    }
    return undefined;
  }

  /**
   * haul.job.progress(jobId, percent, message?, metadata?); an object in place of the
   * message is the metadata. Metadata is merged into the job's and shown with it.
   */
  progress(instance: PluginInstance, jobId: unknown, percent: unknown, message: unknown, metadata?: unknown): void {
    const isObject = (value: unknown): value is Record<string, unknown> =>
      typeof value === 'object' && value !== null && !Array.isArray(value);
    const details = isObject(message) ? message : isObject(metadata) ? metadata : undefined;
    const text = typeof message === 'string' ? message.slice(0, 500) : undefined;
    const task = typeof jobId === 'string' ? this.options.jobs.registry.stored(jobId)?.job : undefined;
    if (task?.source === 'task' && task.createdBy === 'plugin' && task.creator === instance.name) {
      // The same call works for the plugin's own tasks (haul.createJob), checked as a
      // report through the API is: a progress of NaN or -50 must never reach the store.
      const parsed = TaskProgressInput.safeParse({
        id: task.id,
        progress: Number(percent),
        ...(text ? { message: text } : {}),
        ...(details ? { metadata: details } : {}),
      });
      if (parsed.success) this.options.jobs.tasks.report(parsed.data);
      else instance.log('warn', `haul.job.progress(${task.id}) ignored: ${describeIssues(parsed.error)}`);
      return;
    }
    const entry = this.own(instance, jobId, 'progress');
    if (details && JSON.stringify(details).length > 64_000) {
      instance.log('warn', 'haul.job.progress: metadata larger than 64000 characters of JSON was dropped');
      entry?.context.progress(Number(percent), text);
      return;
    }
    entry?.context.progress(Number(percent), text, details);
  }

  /** Progress reported by the host itself (hashing) on behalf of a plugin's job. */
  hostProgress(instance: PluginInstance, jobId: unknown, percent: number, message: string): void {
    const entry = typeof jobId === 'string' ? this.active.get(jobId) : undefined;
    if (entry && entry.plugin === instance.name) entry.context.progress(percent, message);
  }

  complete(instance: PluginInstance, jobId: unknown, result: unknown): void {
    const entry = this.own(instance, jobId, 'complete');
    const value = asResult(result);
    if (tooLarge(value)) entry?.reject(new JobFailure('plugin', resultTooLarge));
    else entry?.resolve(value);
  }

  fail(instance: PluginInstance, jobId: unknown, message: unknown): void {
    const text = typeof message === 'string' && message !== '' ? message : 'The plugin reported a failure.';
    this.own(instance, jobId, 'fail')?.reject(new JobFailure('plugin', text.slice(0, 2000)));
  }

  log(instance: PluginInstance, jobId: unknown, line: unknown): void {
    const task = typeof jobId === 'string' ? this.options.jobs.registry.stored(jobId)?.job : undefined;
    if (task?.source === 'task' && task.createdBy === 'plugin' && task.creator === instance.name) {
      for (const text of this.lines.take(task.id, String(line).slice(0, 2000))) {
        this.options.jobs.registry.log(task.id, text);
      }
      return;
    }
    const entry = this.own(instance, jobId, 'log');
    if (!entry) return;
    for (const text of this.lines.take(entry.context.job.id, String(line).slice(0, 2000))) entry.context.log(text);
  }
}
