import type {
  CommandOutput,
  DownloadJob,
  Envelope,
  ErrorShape,
  JobEvent,
  SubmitInput,
} from '../../../src-common/contract';
import type { StreamStatus } from '../api/event-stream';
import { allowedActions, jobTitle } from '../lib/job-display';
import { applyJobEvents, emptyJobs, type JobsState } from './jobs-reducer';
import type { SortKey } from './table-query';
import { downloadOf, type StatusMove } from './table-slice';
import type { Slice, State } from './types';

/** The downloads with no speed or time left: what is known of them while Haul is out of reach. */
function withoutRates(downloads: Record<string, DownloadJob>): Record<string, DownloadJob> {
  let changed = false;
  const next: Record<string, DownloadJob> = {};
  for (const [id, job] of Object.entries(downloads)) {
    if (job.speed === 0 && job.eta === null) next[id] = job;
    else {
      next[id] = { ...job, speed: 0, eta: null };
      changed = true;
    }
  }
  return changed ? next : downloads;
}

export type JobCommand = 'jobs.pause' | 'jobs.resume' | 'jobs.retry' | 'jobs.cancel' | 'jobs.suspend';
type MoveTo = 'top' | 'up' | 'down' | 'bottom';

const verbs: Record<JobCommand, string> = {
  'jobs.pause': 'pause',
  'jobs.resume': 'resume',
  'jobs.retry': 'retry',
  'jobs.cancel': 'cancel',
  'jobs.suspend': 'suspend',
};

export interface JobsSlice extends JobsState {
  /** False until the first `init` arrived: the table shows "Loading", not "empty". */
  synced: boolean;
  streamStatus: StreamStatus;
  streamMessage: string | undefined;
  /** When this window started: jobs that finished before it are not news for the panel. */
  sessionStart: number;
  /** Subscribes to the job stream; events are applied in one batch per frame. */
  connect(): () => void;
  runJobCommand(command: JobCommand, ids: readonly string[]): Promise<void>;
  togglePause(ids: readonly string[]): Promise<void>;
  removeJobs(ids: readonly string[], deleteFile: boolean): Promise<void>;
  moveJob(id: string, to: MoveTo): Promise<void>;
  /** Reads the live list again (jobs.snapshot) and applies it like an `init`. */
  resync(): Promise<void>;
  submit(input: SubmitInput): Promise<Envelope<CommandOutput<'downloads.submit'>>>;
  runBulk(command: 'jobs.pauseAll' | 'jobs.resumeAll' | 'jobs.clearCompleted'): Promise<void>;
}

/** Jobs in one `jobs.each` (its most). */
const jobsPerCall = 1000;

/**
 * `command` for each of `ids`: what each was refused with, in their order (undefined:
 * done). Several go as `jobs.each`, a thousand a call: a request each cost the page
 * several milliseconds, and ten thousand of them a minute and a half.
 */
async function forEachJob(
  client: State['client'],
  command: JobCommand | 'jobs.remove',
  ids: readonly string[],
  deleteFile?: boolean,
  kept: string[] = [],
): Promise<(ErrorShape | undefined)[]> {
  const errors: (ErrorShape | undefined)[] = [];
  // A task's suspend (jobs.each does not take it) and a single job: one call each, in turn.
  if (command === 'jobs.suspend' || ids.length === 1) {
    for (const id of ids) {
      const answer =
        command === 'jobs.remove'
          ? await client.invoke(command, { id, deleteFile })
          : await client.invoke(command, { id });
      errors.push(answer.ok ? undefined : answer.error);
      if (answer.ok && 'fileKept' in answer.value && answer.value.fileKept) kept.push(answer.value.fileKept);
    }
    return errors;
  }
  for (let first = 0; first < ids.length; first += jobsPerCall) {
    const part = ids.slice(first, first + jobsPerCall);
    const answer = await client.invoke('jobs.each', { command, ids: part, ...(deleteFile ? { deleteFile } : {}) });
    const refused = answer.ok ? new Map(answer.value.refused.map((r) => [r.id, r.error])) : undefined;
    for (const id of part) errors.push(answer.ok ? refused!.get(id) : answer.error);
    if (answer.ok) kept.push(...(answer.value.kept ?? []).map((k) => k.message));
  }
  return errors;
}

/** Runs the next frame, or soon when the page is hidden and frames do not come. */
function nextFrame(run: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    run();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(once);
  setTimeout(once, 100);
}

/** The fields each sort reads: a change in one of them may move the row. */
const sortFields: Record<SortKey, readonly (keyof DownloadJob)[]> = {
  queue: ['priority', 'position'],
  name: ['fileName', 'finalUrl'],
  size: ['totalBytes'],
  progress: ['progress'],
  speed: ['speed'],
  eta: ['eta'],
  status: [],
  added: [],
};

/**
 * What a batch means for the table: the jobs retention took out of the live list (a
 * `removed` the user did not ask for), and whether rows may have come, gone or moved.
 */
function readBatch(events: readonly JobEvent[], live: JobsState['downloads'], removing: Set<string>, sort: SortKey) {
  const retired: DownloadJob[] = [];
  const statusMoves: StatusMove[] = [];
  let moved = false;
  for (const event of events) {
    if (event.event === 'init') moved = true;
    else if (event.event === 'added') {
      moved = true;
      statusMoves.push({ to: event.data.job.status });
    } else if (event.event === 'removed') {
      moved = true;
      if (!removing.delete(event.data.job.id) && event.data.job.source === 'download') retired.push(event.data.job);
    } else if (event.data.job.source === 'download') {
      const before = live[event.data.job.id];
      const after = event.data.job;
      if (before && before.status !== after.status) statusMoves.push({ from: before.status, to: after.status });
      moved ||= !before || before.status !== after.status || sortFields[sort].some((f) => before[f] !== after[f]);
    }
  }
  return { retired, statusMoves, moved };
}

export const createJobsSlice: Slice<JobsSlice> = (set, get) => {
  // Jobs this window asked jobs.remove for: their `removed` event deletes, not retires.
  const removing = new Set<string>();
  let enqueue: ((event: JobEvent) => void) | undefined;
  return {
    ...emptyJobs,
    synced: false,
    streamStatus: 'connecting',
    streamMessage: undefined,
    sessionStart: Date.now(),
    connect() {
      let queue: JobEvent[] = [];
      const flush = () => {
        const events = queue;
        queue = [];
        const state = get();
        const { retired, statusMoves, moved } = readBatch(events, state.downloads, removing, state.sort.key);
        const next = applyJobEvents({ downloads: state.downloads, actions: state.actions, tasks: state.tasks }, events);
        const synced = state.synced || events.some((e) => e.event === 'init');
        const changed =
          next.downloads !== state.downloads || next.actions !== state.actions || next.tasks !== state.tasks;
        if (changed || synced !== state.synced) {
          // Before the live job goes: its row shows the job's last state without a frame in between.
          state.keepRows(retired);
          // The tabs count the change in the same frame as the row shows it; the read that
          // follows brings the core's own counts.
          state.countMoves(statusMoves);
          set({ downloads: next.downloads, actions: next.actions, tasks: next.tasks, synced });
        }
        if (moved) state.refreshTable(events.some((e) => e.event === 'init') ? 'now' : 'soon');
      };
      enqueue = (event) => {
        if (queue.push(event) === 1) nextFrame(flush);
      };
      return get().client.subscribe(
        (event) => enqueue?.(event),
        (streamStatus, streamMessage) => {
          // Cut off from Haul, the speeds and times left shown are not known any more: the
          // next `init` brings the jobs as they are.
          if (streamStatus === 'offline')
            set({ streamStatus, streamMessage, downloads: withoutRates(get().downloads) });
          else set({ streamStatus, streamMessage });
        },
      );
    },
    async runJobCommand(command, ids) {
      const errors = await forEachJob(get().client, command, ids);
      reportRefusals(get(), verbs[command], ids, errors);
    },
    async togglePause(ids) {
      const { runJobCommand } = get();
      const jobs = ids.map((id) => downloadOf(get(), id)).filter((job) => job !== undefined);
      const pause = jobs.filter((job) => allowedActions(job).pause).map((job) => job.id);
      const resume = jobs.filter((job) => allowedActions(job).resume).map((job) => job.id);
      await Promise.all([runJobCommand('jobs.pause', pause), runJobCommand('jobs.resume', resume)]);
    },
    async removeJobs(ids, deleteFile) {
      for (const id of ids) if (get().downloads[id] !== undefined) removing.add(id);
      const kept: string[] = [];
      const errors = await forEachJob(get().client, 'jobs.remove', ids, deleteFile, kept);
      ids.forEach((id, i) => errors[i] && removing.delete(id));
      reportRefusals(get(), 'remove', ids, errors);
      reportKept(get(), kept);
      get().refreshTable('now');
      const gone = new Set(ids);
      set({ selection: get().selection.filter((id) => !gone.has(id)) });
    },
    async moveJob(id, to) {
      const answer = await get().client.invoke('jobs.move', { id, to });
      if (!answer.ok) get().reportError(`Could not move ${titleOf(get(), id)}`, answer.error);
    },
    async resync() {
      const answer = await get().client.invoke('jobs.snapshot', {});
      if (answer.ok) enqueue?.({ event: 'init', data: answer.value });
    },
    submit: (input) => get().client.invoke('downloads.submit', input),
    async runBulk(command) {
      const answer = await get().client.invoke(command, {});
      if (!answer.ok) get().reportError('That did not work', answer.error);
    },
  };
};

/** Up to this many refusals of one command get a notice each. */
const refusalsNamed = 3;

/**
 * What a command on a selection could not do: a few refusals a notice each, naming the
 * job; more in one notice that says how many, names the first and gives its reason (a
 * notice a job would bury the window).
 */
function reportRefusals(
  s: State,
  verb: string,
  ids: readonly string[],
  errors: readonly (ErrorShape | undefined)[],
): void {
  const refused = ids.flatMap((id, i) => (errors[i] ? [{ id, error: errors[i] }] : []));
  const [first] = refused;
  if (!first) return;
  if (refused.length <= refusalsNamed) {
    for (const { id, error } of refused) s.reportError(`Could not ${verb} ${titleOf(s, id)}`, error);
    return;
  }
  const others = refused.length - 1;
  s.reportError(
    `Could not ${verb} ${refused.length.toLocaleString()} jobs (${titleOf(s, first.id)} and ${others.toLocaleString()} more)`,
    first.error,
  );
}

/**
 * Files the user asked to delete with their jobs that were left, and why (another size
 * now, a link): each said, a few at most, as errors are, since they stay until read.
 */
function reportKept(s: Pick<State, 'notify'>, kept: readonly string[]): void {
  if (kept.length <= refusalsNamed) {
    for (const message of kept) s.notify('error', message);
    return;
  }
  s.notify('error', `${kept.length.toLocaleString()} files were not deleted. The first: ${kept[0]}`);
}

/** A job as the user knows it, for a message: its name, or its id when it is not at hand. */
function titleOf(s: Pick<State, 'downloads' | 'tableRows' | 'actions' | 'tasks'>, id: string): string {
  const job = downloadOf(s, id) ?? s.actions[id] ?? s.tasks[id];
  return job ? jobTitle(job) : id;
}
