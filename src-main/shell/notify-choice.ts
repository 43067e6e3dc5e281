import type { Job } from '../../src-common/contract';

export interface NotificationChoice {
  title: string;
  body: string;
  /** What a click on it does. */
  onClick: { kind: 'show-file'; path: string } | { kind: 'show-job'; id: string } | { kind: 'show-window' };
  /** A download's file name, which a summary of several lists. */
  name?: string;
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
        name,
      };
    }
    if (job.status === 'failed') {
      return {
        title: 'Download failed',
        body: `${name}: ${job.error?.message ?? job.message}`,
        onClick: { kind: 'show-job', id: job.id },
        name,
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

/** Names a summary lists before "and N more". @default 3 */
const namesShown = 3;

/** What several downloads that ended alike are shown as. */
const summaries = new Map([
  ['Download complete', 'downloads complete'],
  ['Download failed', 'downloads failed'],
]);

/**
 * Jobs that ended alike (the same title), as one notification: "12 downloads complete",
 * or for plugin jobs and tasks "Checksum finished (12)"; one alone as it is.
 */
function summarize(held: NotificationChoice[]): NotificationChoice[] {
  const groups = new Map<string, NotificationChoice[]>();
  for (const choice of held) {
    const group = groups.get(choice.title);
    if (group) group.push(choice);
    else groups.set(choice.title, [choice]);
  }
  const out: NotificationChoice[] = [];
  for (const [title, group] of groups) {
    if (group.length === 1) {
      out.push(group[0]!);
      continue;
    }
    const summary = summaries.get(title);
    const names = group.map((choice) => choice.name ?? choice.body);
    const more = names.length - namesShown;
    out.push({
      title: summary ? `${group.length} ${summary}` : `${title} (${group.length})`,
      body: more > 0 ? `${names.slice(0, namesShown).join(', ')} and ${more} more` : names.join(', '),
      onClick: { kind: 'show-window' },
    });
  }
  return out;
}

/**
 * Notifications for a burst of jobs ending (500 small files complete within seconds):
 * the first shows at once; what ends in the `windowMs` after it is held and shown when
 * that window closes, jobs that ended alike as one ("12 downloads complete"), and a new
 * window opens while they keep coming. One download alone notifies as before.
 */
export function notificationBurst(
  show: (choice: NotificationChoice) => void,
  windowMs = 2000,
): { add(choice: NotificationChoice): void } {
  let held: NotificationChoice[] = [];
  let timer: NodeJS.Timeout | undefined;
  const open = (): void => {
    timer = setTimeout(close, windowMs);
    timer.unref();
  };
  const close = (): void => {
    timer = undefined;
    if (held.length === 0) return;
    const shown = summarize(held);
    held = [];
    for (const choice of shown) show(choice);
    open();
  };
  return {
    add(choice) {
      if (timer) return void held.push(choice);
      show(choice);
      open();
    },
  };
}
