import type { DownloadJob, PluginJob } from '../../../src-common/contract';

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

export function pluginJob(fields: Partial<PluginJob> = {}): PluginJob {
  return {
    id: '0123456789abcdef',
    source: 'plugin',
    status: 'running',
    progress: 10,
    message: 'Working',
    createdAt: 1_000,
    startedAt: 1_000,
    finishedAt: null,
    updatedAt: 1_000,
    attempts: 1,
    maxAttempts: 1,
    error: null,
    result: null,
    idempotencyKey: null,
    pluginName: 'checksum',
    actionId: 'sha256',
    label: 'Compute SHA-256',
    entityType: 'resource',
    entityId: 1,
    params: {},
    ...fields,
  };
}
