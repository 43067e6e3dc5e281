import type { DownloadJob, PluginJob } from '../../src-common/contract';

/** A download job with every field filled, for tests that need one shape to vary. */
export function downloadJob(patch: Partial<DownloadJob> = {}): DownloadJob {
  return {
    id: 'abcd1234',
    source: 'download',
    status: 'downloading',
    progress: 0,
    message: '',
    createdAt: 0,
    startedAt: null,
    finishedAt: null,
    updatedAt: 0,
    attempts: 1,
    maxAttempts: 5,
    error: null,
    result: null,
    idempotencyKey: null,
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
    progress: 0,
    message: '',
    createdAt: 0,
    startedAt: null,
    finishedAt: null,
    updatedAt: 0,
    attempts: 1,
    maxAttempts: 1,
    error: null,
    result: null,
    idempotencyKey: null,
    pluginName: 'checksum',
    actionId: 'hash',
    label: 'Checksum',
    entityType: 'resource',
    entityId: 1,
    params: {},
    ...patch,
  };
}
