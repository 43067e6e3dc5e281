import type { DownloadJob, Job, JobEvent, PluginJob, TaskJob } from '../../../src-common/contract';

/** The live jobs as the renderer caches them: one record per source, keyed by id. */
export interface JobsState {
  downloads: Record<string, DownloadJob>;
  actions: Record<string, PluginJob>;
  /** Scripts' and plugins' own jobs (source `task`). */
  tasks: Record<string, TaskJob>;
}

export const emptyJobs: JobsState = { downloads: {}, actions: {}, tasks: {} };

/**
 * True when `next` carries nothing new for the screen. Lets a snapshot (init, or the
 * 1 s polling fallback) keep the old objects so memoized rows do not re-render.
 */
function unchanged(prev: Job | undefined, next: Job): boolean {
  if (!prev || prev.updatedAt !== next.updatedAt || prev.status !== next.status) return false;
  if (prev.progress !== next.progress || prev.message !== next.message) return false;
  if (prev.source === 'download' && next.source === 'download') {
    return (
      prev.receivedBytes === next.receivedBytes &&
      prev.speed === next.speed &&
      prev.priority === next.priority &&
      prev.position === next.position
    );
  }
  if (prev.source === 'task' && next.source === 'task' && prev.control !== next.control) return false;
  if (prev.source !== 'download' && next.source !== 'download') {
    // A report may change only the metadata; a snapshot carries copies: compare what the screen shows.
    return JSON.stringify(prev.metadata) === JSON.stringify(next.metadata);
  }
  return true;
}

function replaceAll<T extends Job>(prev: Record<string, T>, jobs: readonly T[]): Record<string, T> {
  const next: Record<string, T> = {};
  let same = jobs.length === Object.keys(prev).length;
  for (const job of jobs) {
    const old = prev[job.id];
    if (old && unchanged(old, job)) next[job.id] = old;
    else {
      next[job.id] = job;
      same = false;
    }
  }
  return same ? prev : next;
}

type Key = keyof JobsState;
const keyOf = { download: 'downloads', plugin: 'actions', task: 'tasks' } as const satisfies Record<Job['source'], Key>;

/**
 * Applies a batch of events in order. Returns the same record objects when nothing in
 * them changed, so selectors that depend on one source do not fire for the other.
 */
export function applyJobEvents(state: JobsState, events: readonly JobEvent[]): JobsState {
  const next: JobsState = { ...state };
  const copied = new Set<Key>();
  for (const event of events) {
    if (event.event === 'init') {
      next.downloads = replaceAll(next.downloads, event.data.jobs);
      next.actions = replaceAll(next.actions, event.data.actionJobs);
      next.tasks = replaceAll(next.tasks, event.data.tasks);
      // A snapshot's records are fresh objects (or the old ones): never mutated below.
      copied.clear();
      continue;
    }
    const { type, job } = event.data;
    const key = keyOf[job.source];
    const record = next[key] as Record<string, Job>;
    if (type === 'removed' ? !record[job.id] : unchanged(record[job.id], job)) continue;
    const target = copied.has(key) ? record : { ...record };
    if (type === 'removed') delete target[job.id];
    else target[job.id] = job;
    (next as Record<Key, Record<string, Job>>)[key] = target;
    copied.add(key);
  }
  const same = (Object.keys(keyOf) as Job['source'][]).every((source) => next[keyOf[source]] === state[keyOf[source]]);
  return same ? state : next;
}
