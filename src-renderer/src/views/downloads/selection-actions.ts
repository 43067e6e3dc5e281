import type { DownloadJob } from '../../../../src-common/contract';
import { resourceOf } from '../../components/FileActions';
import { allowedActions } from '../../lib/job-display';
import type { JobCommand } from '../../store/jobs-slice';
import { downloadOf } from '../../store/table-slice';
import { useStore } from '../../store/instance';

type Verb = 'pause' | 'resume' | 'retry' | 'cancel';
const commandOf: Record<Verb, JobCommand> = {
  pause: 'jobs.pause',
  resume: 'jobs.resume',
  retry: 'jobs.retry',
  cancel: 'jobs.cancel',
};

function selectedJobs(): DownloadJob[] {
  const state = useStore.getState();
  return state.selection.map((id) => downloadOf(state, id)).filter((job) => job !== undefined);
}

/** Runs a command on the selected jobs it fits; the others are skipped, not errors. */
export function runOnSelection(verb: Verb): void {
  const ids = selectedJobs()
    .filter((job) => allowedActions(job)[verb])
    .map((job) => job.id);
  if (ids.length > 0) void useStore.getState().runJobCommand(commandOf[verb], ids);
}

export function moveSelection(to: 'top' | 'up' | 'down' | 'bottom'): void {
  const movable = selectedJobs().filter((job) => allowedActions(job).move);
  // Moving several keeps their relative order: the last one first when going up.
  const ordered = to === 'top' || to === 'up' ? [...movable].reverse() : movable;
  void (async () => {
    for (const job of ordered) await useStore.getState().moveJob(job.id, to);
  })();
}

/** Opens (or shows in its folder) the finished file of the clicked row, else of the first selected. */
export function openSelectionFile(how: 'open' | 'reveal'): void {
  const state = useStore.getState();
  const jobs = [state.anchor ? downloadOf(state, state.anchor) : undefined, ...selectedJobs()];
  const resourceId = jobs.map(resourceOf).find((id) => id !== undefined);
  if (resourceId !== undefined) void state.openResource(resourceId, how);
}

export async function copySelectionUrls(): Promise<void> {
  const { notify } = useStore.getState();
  const urls = selectedJobs().map((job) => job.url);
  if (urls.length === 0) return;
  try {
    await navigator.clipboard.writeText(urls.join('\n'));
    notify('info', urls.length === 1 ? 'URL copied.' : `${urls.length} URLs copied.`);
  } catch (error) {
    notify('error', `Could not copy: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Which toolbar and menu entries apply to at least one selected job. */
export function useSelectionAbilities() {
  return useStore((s) => {
    let mask = 0;
    for (const id of s.selection) {
      const job = downloadOf(s, id);
      if (!job) continue;
      const can = allowedActions(job);
      mask |=
        (can.pause ? 1 : 0) | (can.resume ? 2 : 0) | (can.retry ? 4 : 0) | (can.cancel ? 8 : 0) | (can.move ? 16 : 0);
      mask |= 32 | (resourceOf(job) !== undefined ? 64 : 0);
    }
    return mask;
  });
}

export const abilities = { pause: 1, resume: 2, retry: 4, cancel: 8, move: 16, any: 32, file: 64 } as const;
