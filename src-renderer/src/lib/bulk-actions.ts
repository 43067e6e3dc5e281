import type { JobStatus, PluginAction } from '../../../src-common/contract';

export const actionKey = (action: Pick<PluginAction, 'pluginName' | 'id'>) => `${action.pluginName}/${action.id}`;

/**
 * The actions that fit every one of several files, given what the core offered for each
 * (actions.list per file: the core matches content types, not the UI). Order follows the
 * first file's list.
 */
export function commonActions(perFile: readonly (readonly PluginAction[])[]): PluginAction[] {
  const [first, ...rest] = perFile;
  if (!first) return [];
  const others = rest.map((list) => new Set(list.map(actionKey)));
  return first.filter((action) => others.every((keys) => keys.has(actionKey(action))));
}

/** Why an action cannot run on `count` files at once, or undefined when it can. */
export function bulkRefusal(action: Pick<PluginAction, 'bulkMax'>, count: number): string | undefined {
  if (count <= action.bulkMax) return undefined;
  return action.bulkMax === 1 ? 'One file at a time' : `At most ${action.bulkMax} files at once`;
}

/** One file's outcome in a bulk run. */
export type FileRun =
  | { state: 'waiting' }
  | { state: 'running' }
  | { state: 'done'; success: boolean; message: string }
  /** An async action: its plugin job carries on in the job panel. */
  | { state: 'job'; jobId: string }
  | { state: 'refused'; message: string };

/**
 * Counts for the dialog's summary line. A plugin job counts when it ends, by the status
 * `jobStatus` reads from the store (undefined while the job has not reached it yet).
 */
export function summarize(
  runs: readonly FileRun[],
  jobStatus: (id: string) => JobStatus | undefined = () => undefined,
): { finished: number; failed: number } {
  let finished = 0;
  let failed = 0;
  for (const run of runs) {
    const status = run.state === 'job' ? jobStatus(run.jobId) : undefined;
    const jobDone = status === 'completed' || status === 'failed' || status === 'cancelled';
    if (run.state === 'done' || run.state === 'refused' || jobDone) finished += 1;
    if (run.state === 'refused' || (run.state === 'done' && !run.success)) failed += 1;
    if (status === 'failed' || status === 'cancelled') failed += 1;
  }
  return { finished, failed };
}
