/** The job types and groups Haul runs, described from the contract and the current settings. */
import { z } from 'zod';
import {
  CreateTaskInput,
  SubmitInput,
  type ActionParam,
  type CommandOutput,
  type JobTypeInfo,
  type PluginAction,
  type Settings,
  type TaskJob,
} from '../../../src-common/contract';

export interface JobTypeSources {
  settings: Pick<Settings, 'defaultMaxAttempts' | 'maxConcurrentDownloads' | 'maxConcurrentPluginJobs'>;
  /** Every action of the enabled plugins, resource and custom alike. */
  actions: readonly PluginAction[];
  /** Recent tasks, newest first: each type seen becomes a job type, described by its newest task. */
  tasks: readonly TaskJob[];
  /** @default 300_000 (5 min) */
  pluginTimeoutMs?: number;
  /** The first retry's delay before backoff doubles it. @default 1000 */
  retryBaseMs?: number;
}

type JsonSchema = Record<string, unknown>;

/** An action's parameters as JSON Schema, from the same list the UI builds its form from. */
export function actionParamsSchema(params: readonly ActionParam[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const param of params) {
    const type = param.type === 'number' ? 'number' : param.type === 'boolean' ? 'boolean' : 'string';
    properties[param.name] = {
      type,
      title: param.label,
      ...(param.description ? { description: param.description } : {}),
      ...(param.default !== undefined ? { default: param.default } : {}),
      ...(param.options ? { enum: param.options.map((o) => o.value) } : {}),
      ...(param.min !== undefined ? { minimum: param.min } : {}),
      ...(param.max !== undefined ? { maximum: param.max } : {}),
    };
  }
  const required = params.filter((p) => p.required).map((p) => p.name);
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

function inputSchema(type: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(type, { io: 'input', unrepresentable: 'any' });
  return schema;
}

function taskTypes(tasks: readonly TaskJob[]): JobTypeInfo[] {
  const newest = new Map<string, TaskJob>();
  for (const task of tasks) if (!newest.has(task.type)) newest.set(task.type, task);
  const params = inputSchema(CreateTaskInput);
  return [...newest.values()].map((task) => ({
    typeId: task.type,
    name: task.type,
    description: `Tasks of type "${task.type}", created by ${task.creator} (as its newest task was).`,
    group: 'task',
    source: task.creator,
    timeoutSec: task.timeoutSec ?? 0,
    maxRetries: Math.max(0, task.maxAttempts - 1),
    retryDelaySec: task.retryDelaySec,
    suspendable: task.suspendable,
    paramsSchema: params,
  }));
}

export function describeJobTypes(sources: JobTypeSources): CommandOutput<'jobs.types'> {
  const { settings } = sources;
  const retryDelaySec = (sources.retryBaseMs ?? 1000) / 1000;
  const download: JobTypeInfo = {
    typeId: 'download',
    name: 'Download',
    description: 'Fetches one URL into the download folder, resuming after failures and restarts.',
    group: 'download',
    source: 'download',
    // No time limit: a download that stops receiving bytes is failed as stalled instead.
    timeoutSec: 0,
    maxRetries: settings.defaultMaxAttempts - 1,
    retryDelaySec,
    suspendable: true,
    paramsSchema: inputSchema(SubmitInput),
  };
  const actions = sources.actions
    .filter((action) => action.async)
    .map((action): JobTypeInfo => ({
      typeId: `plugin:${action.pluginName}:${action.id}`,
      name: action.label,
      description: action.description,
      group: 'plugin',
      source: action.pluginName,
      timeoutSec: Math.round((sources.pluginTimeoutMs ?? 5 * 60_000) / 1000),
      // A plugin job runs once; the user retries it from the panel.
      maxRetries: 0,
      retryDelaySec: 0,
      suspendable: false,
      paramsSchema: actionParamsSchema(action.params),
    }));
  return {
    types: [download, ...actions, ...taskTypes(sources.tasks)],
    groups: [
      {
        name: 'download',
        queue: 'download',
        description: 'Downloads, in queue order.',
        capacity: settings.maxConcurrentDownloads,
      },
      {
        name: 'plugin',
        queue: 'plugin',
        description: "Plugins' long-running actions; one at a time per plugin.",
        capacity: settings.maxConcurrentPluginJobs,
      },
      {
        name: 'task',
        queue: 'task',
        description: 'Jobs that scripts and plugins create and run themselves, reporting their progress.',
        capacity: null,
      },
    ],
  };
}
