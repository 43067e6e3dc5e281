/** The popup: Haul's downloads live from the event stream, with pause, resume and cancel. */
import { ext } from './browser-api';
import type { DownloadJob } from '../../src-common/contract';
import { formatBytes } from '../../src-common/format-bytes';
import { downloadName } from '../../src-common/names';
import { statusLabels } from '../../src-common/status-labels';
import { lastStatus } from './badge';
import { jobAction, type JobAction } from './haul-api';
import { openJobStream } from './job-stream';
import { popupList } from './popup-list';
import { loadOptions } from './options-store';

const list = document.getElementById('jobs') as HTMLUListElement;
const empty = document.getElementById('empty') as HTMLParagraphElement;
const streamStatus = document.getElementById('stream-status') as HTMLSpanElement;
const note = document.getElementById('last-status') as HTMLParagraphElement;
const more = document.getElementById('more') as HTMLParagraphElement;

function actionsOf(job: DownloadJob): JobAction[] {
  if (job.status === 'paused') return ['resume', 'cancel'];
  if (job.status === 'pending' || job.status === 'downloading') return ['pause', 'cancel'];
  if (job.status === 'failed') return ['retry'];
  return [];
}

/** The line under the bar: how far it got, or for a failure, why. */
function lineOf(job: DownloadJob): string {
  const status = statusLabels[job.status];
  if (job.status === 'failed') return `${status} · ${job.error?.message ?? job.message}`;
  const speed = job.status === 'downloading' && job.speed ? ` · ${formatBytes(job.speed)}/s` : '';
  if (job.status === 'completed') return `${status} · ${formatBytes(job.totalBytes ?? job.receivedBytes)}`;
  return `${status} · ${formatBytes(job.receivedBytes)} of ${formatBytes(job.totalBytes)}${speed}`;
}

function row(job: DownloadJob, run: (action: JobAction, id: string) => void): HTMLLIElement {
  const item = document.createElement('li');
  item.className = `job status-${job.status}`;
  item.dataset.jobId = job.id;
  const name = document.createElement('div');
  name.className = 'job-name';
  name.textContent = downloadName(job);
  name.title = job.url;
  const meter = document.createElement('progress');
  meter.max = 100;
  meter.value = job.progress;
  const line = document.createElement('div');
  line.className = 'job-line muted';
  line.textContent = lineOf(job);
  const buttons = document.createElement('div');
  buttons.className = 'job-actions';
  for (const action of actionsOf(job)) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = action[0]!.toUpperCase() + action.slice(1);
    button.addEventListener('click', () => run(action, job.id));
    buttons.append(button);
  }
  item.append(name, meter, line, buttons);
  return item;
}

async function main(): Promise<void> {
  document.getElementById('open-options')!.addEventListener('click', (event) => {
    event.preventDefault();
    void ext.runtime.openOptionsPage();
  });
  const status = await lastStatus();
  if (status && status.kind !== 'handed' && status.kind !== 'kept') {
    note.hidden = false;
    note.textContent = status.message;
  }
  const options = await loadOptions();
  if (!options.token) {
    streamStatus.textContent = 'Not paired: open Options to pair with Haul.';
    return;
  }
  const run = (action: JobAction, id: string) => {
    jobAction(options, action, id).catch((error: unknown) => {
      note.hidden = false;
      note.textContent = `Could not ${action}: ${error instanceof Error ? error.message : String(error)}`;
    });
  };
  openJobStream(options, {
    onJobs(jobs) {
      const { shown, more: left } = popupList(jobs);
      list.replaceChildren(...shown.map((job) => row(job, run)));
      empty.hidden = shown.length > 0;
      more.hidden = left === 0;
      more.textContent = `and ${left.toLocaleString()} more in Haul`;
    },
    onStatus(state, message) {
      streamStatus.textContent = state === 'live' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Haul offline';
      streamStatus.title = message ?? '';
      streamStatus.dataset.state = state;
    },
  });
}

void main();
