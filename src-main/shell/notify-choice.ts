import type { Job } from '../../src-common/contract';

export interface NotificationChoice {
  title: string;
  body: string;
  /** What a click on it does. */
  onClick: { kind: 'show-file'; path: string } | { kind: 'show-job'; id: string };
}

/**
 * Whether a job's change deserves a desktop notification: a download that completed or
 * failed, a plugin job or task that ended (a task also by its timeout). Only the change into the final status counts, so a
 * replayed or repeated update never notifies twice.
 */
export function chooseNotification(
  previous: Job['status'] | undefined,
  job: Job,
  enabled: boolean,
): NotificationChoice | undefined {
  if (!enabled || previous === job.status) return undefined;
  if (job.source === 'download') {
    const name = job.fileName ?? job.url;
    if (job.status === 'completed') {
      const path = typeof job.result?.path === 'string' ? job.result.path : undefined;
      return {
        title: 'Download complete',
        body: name,
        onClick: path ? { kind: 'show-file', path } : { kind: 'show-job', id: job.id },
      };
    }
    if (job.status === 'failed') {
      return {
        title: 'Download failed',
        body: `${name}: ${job.error?.message ?? job.message}`,
        onClick: { kind: 'show-job', id: job.id },
      };
    }
    return undefined;
  }
  if (job.status === 'completed' || job.status === 'failed' || job.status === 'timeout') {
    const [title, by] = job.source === 'plugin' ? [job.label, job.pluginName] : [job.name, job.creator];
    const ended = { completed: 'finished', failed: 'failed', timeout: 'timed out' }[job.status];
    return {
      title: `${title} ${ended}`,
      body: job.status === 'completed' ? job.message || by : (job.error?.message ?? job.message),
      onClick: { kind: 'show-job', id: job.id },
    };
  }
  return undefined;
}
