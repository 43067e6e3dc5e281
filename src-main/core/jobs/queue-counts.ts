import {
  downloadStatuses,
  pluginStatuses,
  taskStatuses,
  type CommandOutput,
  type Job,
} from '../../../src-common/contract';
import type { JobStore } from '../store/job-store';
import type { JobRegistry } from './registry';

/**
 * Each queue's jobs by status (jobs.queues). The counts read the status column, corrected
 * for the statuses held in memory (a start or processing step not written yet): a poll
 * writes nothing.
 */
export function queueCounts(registry: JobRegistry, store: JobStore, now: number): CommandOutput<'jobs.queues'> {
  const held = registry.heldStatuses();
  const bySource = store.countsBySource();
  const counts = (source: Job['source'], statuses: readonly string[]) => {
    const stored = bySource[source];
    for (const change of held) {
      if (change.source !== source) continue;
      stored[change.written] = (stored[change.written] ?? 0) - 1;
      stored[change.now] = (stored[change.now] ?? 0) + 1;
    }
    return Object.fromEntries(statuses.map((s) => [s, stored[s as Job['status']] ?? 0]));
  };
  const retrying = registry.retryingCounts(now);
  return {
    queues: [
      { name: 'download', counts: counts('download', downloadStatuses), retrying: retrying.download },
      { name: 'plugin', counts: counts('plugin', pluginStatuses), retrying: retrying.plugin },
      { name: 'task', counts: counts('task', taskStatuses), retrying: retrying.task },
    ],
  };
}
