import type { DownloadJob, PluginJob, TaskJob } from '../../../src-common/contract';

/** Builders for unit tests: a plausible job with only the fields a test cares about set. */
export function downloadJob(fields: Partial<DownloadJob> = {}): DownloadJob {
  return {
    id: 'aaaaaaaa',
    source: 'download',
    status: 'pending',
    progress: 0,
    message: 'Queued',
    createdAt: 1_000,
    startedAt: null,
    finishedAt: null,
    updatedAt: 1_000,
    attempts: 0,
    maxAttempts: 5,
    error: null,
    result: null,
    idempotencyKey: null,
    url: 'https://example.com/file.zip',
    finalUrl: null,
    fileName: null,
    dir: '/downloads',
    totalBytes: null,
    receivedBytes: 0,
    speed: 0,
    eta: null,
    connections: 0,
    resourceId: null,
    priority: 0,
    position: 0,
    options: {},
    ...fields,
  };
}

/** Times and attempts of a job that started once, at 1000, with no retries. */
const startedOnce = {
  createdAt: 1_000,
  startedAt: 1_000,
  finishedAt: null,
  updatedAt: 1_000,
  attempts: 1,
  maxAttempts: 1,
  error: null,
  result: null,
  idempotencyKey: null,
};

export function pluginJob(fields: Partial<PluginJob> = {}): PluginJob {
  return {
    id: '0123456789abcdef',
    source: 'plugin',
    status: 'running',
    progress: 10,
    message: 'Working',
    ...startedOnce,
    pluginName: 'checksum',
    actionId: 'sha256',
    label: 'Compute SHA-256',
    entityType: 'resource',
    entityId: 1,
    params: {},
    ...fields,
  };
}

export function taskJob(fields: Partial<TaskJob> = {}): TaskJob {
  return {
    id: 'fedcba9876543210',
    source: 'task',
    status: 'running',
    progress: 25,
    message: 'Running',
    ...startedOnce,
    name: 'Nightly backup',
    description: 'Copies the photos to the NAS',
    type: 'backup',
    creator: 'backup.sh',
    createdBy: 'api',
    iconSvg: null,
    metadata: {},
    suspendable: false,
    timeoutSec: null,
    retryDelaySec: 0,
    heartbeatSec: null,
    lastReportAt: 1_000,
    retryAt: null,
    control: 'continue',
    state: null,
    ...fields,
  };
}
