import type { DownloadJob, Job, JobEvent, PluginJob } from '../../../src-common/contract';

/** The live jobs as the renderer caches them: one record per source, keyed by id. */
export interface JobsState {
  downloads: Record<string, DownloadJob>;
  actions: Record<string, PluginJob>;
}

export const emptyJobs: JobsState = { downloads: {}, actions: {} };

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

/**
 * Applies a batch of events in order. Returns the same record objects when nothing in
 * them changed, so selectors that depend on one source do not fire for the other.
 */
export function applyJobEvents(state: JobsState, events: readonly JobEvent[]): JobsState {
  let { downloads, actions } = state;
  let downloadsCopied = false;
  let actionsCopied = false;
  for (const event of events) {
    if (event.event === 'init') {
      downloads = replaceAll(downloads, event.data.jobs);
      actions = replaceAll(actions, event.data.actionJobs);
      downloadsCopied = downloads !== state.downloads;
      actionsCopied = actions !== state.actions;
      continue;
    }
    const { type, job } = event.data;
    // Tasks have no view yet; the job panel keeps to downloads and plugin jobs until it does.
    if (job.source === 'task') continue;
    if (job.source === 'download') {
      if (type !== 'removed' && unchanged(downloads[job.id], job)) continue;
      if (type === 'removed' && !downloads[job.id]) continue;
      if (!downloadsCopied) {
        downloads = { ...downloads };
        downloadsCopied = true;
      }
      if (type === 'removed') delete downloads[job.id];
      else downloads[job.id] = job;
    } else {
      if (type !== 'removed' && unchanged(actions[job.id], job)) continue;
      if (type === 'removed' && !actions[job.id]) continue;
      if (!actionsCopied) {
        actions = { ...actions };
        actionsCopied = true;
      }
      if (type === 'removed') delete actions[job.id];
      else actions[job.id] = job;
    }
  }
  if (downloads === state.downloads && actions === state.actions) return state;
  return { downloads, actions };
}
