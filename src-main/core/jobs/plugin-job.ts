import type { PluginJob } from '../../../src-common/contract';

/** What a plugin asks to run as a job: one of its actions, on an entity, with parameters. */
export interface PluginJobSpec {
  pluginName: string;
  actionId: string;
  label: string;
  entityType: PluginJob['entityType'];
  entityId?: number | null;
  params?: Record<string, unknown>;
  idempotencyKey?: string;
}

/** A plugin job as it is queued: pending, one attempt allowed. */
export function newPluginJob(spec: PluginJobSpec, id: string, now: number): PluginJob {
  return {
    id,
    source: 'plugin',
    status: 'pending',
    progress: 0,
    message: 'Queued',
    createdAt: now,
    startedAt: null,
    finishedAt: null,
    updatedAt: now,
    attempts: 0,
    maxAttempts: 1,
    error: null,
    result: null,
    idempotencyKey: spec.idempotencyKey ?? null,
    pluginName: spec.pluginName,
    actionId: spec.actionId,
    label: spec.label,
    entityType: spec.entityType,
    entityId: spec.entityId ?? null,
    params: spec.params ?? {},
  };
}
