/** The job types and groups Haul runs, described from the contract and the current settings. */
import { z } from 'zod';
import {
  SubmitInput,
  type ActionParam,
  type CommandOutput,
  type JobTypeInfo,
  type PluginAction,
  type Settings,
} from '../../../src-common/contract';

export interface JobTypeSources {
  settings: Pick<Settings, 'defaultMaxAttempts' | 'maxConcurrentDownloads' | 'maxConcurrentPluginJobs'>;
  /** Every action of the enabled plugins, resource and custom alike. */
  actions: readonly PluginAction[];
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

function downloadSchema(): JsonSchema {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(SubmitInput, { io: 'input', unrepresentable: 'any' });
  return schema;
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
    paramsSchema: downloadSchema(),
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
    types: [download, ...actions],
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
    ],
  };
}
