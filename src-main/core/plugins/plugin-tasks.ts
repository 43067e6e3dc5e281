import { CreateTaskInput, isFinishedStatus, TaskProgressInput, type TaskJob } from '../../../src-common/contract';
import { HaulError, invalidInput } from '../errors';
import type { JobCenter } from '../jobs/job-center';
import type { PluginInstance } from './plugin-instance';

/** What a plugin's handle learns back from each call (the sandbox keeps no other copy). */
export type TaskAnswer = Pick<TaskJob, 'id' | 'status' | 'control' | 'progress' | 'state' | 'metadata' | 'retryAt'>;

function answer(job: TaskJob): TaskAnswer {
  const { id, status, control, progress, state, metadata, retryAt } = job;
  return { id, status, control, progress, state, metadata, retryAt };
}

function objectOrUndefined(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * haul.createJob and haul.jobs.*: tasks a plugin creates and drives. A plugin reaches only
 * its own tasks (its name is their creator, whatever `source` it passes), and its
 * idempotency keys are its own: two plugins using the same key get two tasks.
 */
export class PluginTasks {
  constructor(private readonly jobs: JobCenter) {}

  private own(instance: PluginInstance, id: unknown): TaskJob {
    const job = typeof id === 'string' ? this.jobs.registry.stored(id)?.job : undefined;
    if (job?.source !== 'task' || job.createdBy !== 'plugin' || job.creator !== instance.name) {
      throw new HaulError('not_found', `The plugin ${instance.name} has no task ${String(id)}.`);
    }
    return job;
  }

  create(instance: PluginInstance, spec: unknown): TaskAnswer {
    const given = objectOrUndefined(spec);
    if (!given) throw new HaulError('invalid_input', 'haul.createJob: expects an object');
    const { source: _source, creator: _creator, ...rest } = given;
    const parsed = CreateTaskInput.safeParse(rest);
    if (!parsed.success) throw invalidInput(parsed.error);
    const input = parsed.data;
    const key = input.idempotencyKey ? `plugin:${instance.name}:${input.idempotencyKey}` : undefined;
    const job = this.jobs.tasks.create(
      { ...input, ...(key ? { idempotencyKey: key } : {}) },
      { kind: 'plugin', pluginName: instance.name },
    );
    return answer(job);
  }

  start(instance: PluginInstance, id: unknown): TaskAnswer {
    return answer(this.jobs.tasks.start(this.own(instance, id).id));
  }

  progress(instance: PluginInstance, id: unknown, progress: unknown, metadata: unknown, extra: unknown): TaskAnswer {
    const task = this.own(instance, id);
    const options = objectOrUndefined(extra) ?? {};
    const parsed = TaskProgressInput.safeParse({
      id: task.id,
      ...(typeof progress === 'number' ? { progress } : {}),
      ...(objectOrUndefined(metadata) ? { metadata } : {}),
      ...(typeof options.message === 'string' ? { message: options.message } : {}),
      ...(objectOrUndefined(options.state) ? { state: options.state } : {}),
    });
    if (!parsed.success) throw invalidInput(parsed.error);
    return answer(this.jobs.tasks.report(parsed.data));
  }

  complete(instance: PluginInstance, id: unknown, result: unknown): TaskAnswer {
    const task = this.own(instance, id);
    const value =
      objectOrUndefined(result) ?? (result === undefined || result === null ? undefined : { value: result });
    return answer(this.jobs.tasks.complete(task.id, value));
  }

  fail(instance: PluginInstance, id: unknown, message: unknown): TaskAnswer {
    const task = this.own(instance, id);
    const text =
      typeof message === 'string' && message !== '' ? message.slice(0, 2000) : 'The plugin reported a failure.';
    return answer(this.jobs.tasks.fail(task.id, text, true, 'plugin'));
  }

  suspend(instance: PluginInstance, id: unknown, state: unknown): TaskAnswer {
    return answer(this.jobs.tasks.suspend(this.own(instance, id).id, objectOrUndefined(state)));
  }

  get(instance: PluginInstance, id: unknown): TaskAnswer {
    return answer(this.own(instance, id));
  }

  /** The plugin's tasks that are not finished, oldest first: to take them up again after a restart. */
  list(instance: PluginInstance): TaskAnswer[] {
    return this.jobs.registry
      .liveJobs()
      .map((stored) => stored.job)
      .filter(
        (job): job is TaskJob =>
          job.source === 'task' &&
          job.createdBy === 'plugin' &&
          job.creator === instance.name &&
          !isFinishedStatus(job.status),
      )
      .map(answer);
  }

  /** Cancels a job of this plugin: one of its tasks, or one of its plugin jobs (action or startJob). */
  cancel(instance: PluginInstance, id: unknown): null {
    const job = typeof id === 'string' ? this.jobs.registry.stored(id)?.job : undefined;
    const mine =
      (job?.source === 'plugin' && job.pluginName === instance.name) ||
      (job?.source === 'task' && job.createdBy === 'plugin' && job.creator === instance.name);
    if (!job || !mine) throw new HaulError('not_found', `The plugin ${instance.name} has no job ${String(id)}.`);
    this.jobs.cancel(job.id);
    return null;
  }

  /** haul.jobs.cleanup(days): deletes this plugin's finished tasks older than `days`; nobody else's. */
  cleanup(instance: PluginInstance, days: unknown): number {
    const daysOld = Number(days);
    if (!Number.isInteger(daysOld) || daysOld < 0) {
      throw new HaulError('invalid_input', 'haul.jobs.cleanup: days must be a whole number, 0 or more');
    }
    return this.jobs.cleanupTasksOf(instance.name, daysOld);
  }
}
