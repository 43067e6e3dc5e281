import type { JobStatus } from './jobs';

/** Each status as the UI and the extension's popup show it. */
export const statusLabels: Record<JobStatus, string> = {
  pending: 'Queued',
  downloading: 'Downloading',
  processing: 'Processing',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  paused: 'Paused',
  suspending: 'Suspending',
  suspended: 'Suspended',
  timeout: 'Timed out',
};
