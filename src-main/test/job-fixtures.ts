import type { DownloadJob, PluginJob, TaskJob } from '../../src-common/contract';

/** The fields every job has, as a job that has just started its first attempt. */
const common = {
  progress: 0,
  message: '',
  createdAt: 0,
  startedAt: null,
  finishedAt: null,
  updatedAt: 0,
  attempts: 1,
  error: null,
  result: null,
  idempotencyKey: null,
};

/** A download job with every field filled, for tests that need one shape to vary. */
export function downloadJob(patch: Partial<DownloadJob> = {}): DownloadJob {
  return {
    id: 'abcd1234',
    source: 'download',
    status: 'downloading',
    ...common,
    maxAttempts: 5,
    url: 'https://a.example/f.iso',
    finalUrl: null,
    fileName: 'f.iso',
    dir: '/d',
    totalBytes: null,
    receivedBytes: 0,
    speed: 0,
    eta: null,
    connections: 1,
    resourceId: null,
    priority: 0,
    position: 0,
    options: {},
    ...patch,
  };
}

export function pluginJob(patch: Partial<PluginJob> = {}): PluginJob {
  return {
    id: 'a'.repeat(16),
    source: 'plugin',
    status: 'running',
    ...common,
    maxAttempts: 1,
    pluginName: 'checksum',
    actionId: 'hash',
    label: 'Checksum',
    entityType: 'resource',
    entityId: 1,
    params: {},
    ...patch,
  };
}

export function taskJob(patch: Partial<TaskJob> = {}): TaskJob {
  return {
    id: 'b'.repeat(16),
    source: 'task',
    status: 'running',
    ...common,
    maxAttempts: 1,
    name: 'Backup',
    description: '',
    type: 'backup',
    creator: 'backup.sh',
    createdBy: 'api',
    iconSvg: null,
    metadata: {},
    suspendable: false,
    timeoutSec: null,
    retryDelaySec: 0,
    heartbeatSec: null,
    lastReportAt: 0,
    retryAt: null,
    control: 'continue',
    state: null,
    ...patch,
  };
}
