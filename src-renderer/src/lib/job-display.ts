import { downloadName, isFinishedStatus, statusLabels, type Job } from '../../../src-common/contract';

/** What the user calls a download; the core sorts its Name column by the same name. */
export { downloadName };

export function jobTitle(job: Job): string {
  return job.source === 'download' ? downloadName(job) : job.source === 'plugin' ? job.label : job.name;
}

export { statusLabels };

export const isFinished = isFinishedStatus;

/** The commands that fit a job's status and capabilities; mirrors the core's transition tables. */
export function allowedActions(job: Pick<Job, 'source' | 'status'> & { suspendable?: boolean }) {
  const { status } = job;
  const download = job.source === 'download';
  const task = job.source === 'task';
  return {
    pause:
      (download && (status === 'pending' || status === 'downloading')) ||
      (task && (status === 'pending' || status === 'running')),
    resume: (download && status === 'paused') || (task && (status === 'paused' || status === 'suspended')),
    /** Only a task created `suspendable`; a suspending one is already on its way. */
    suspend: task && job.suspendable === true && (status === 'pending' || status === 'running' || status === 'paused'),
    retry: status === 'failed' || status === 'cancelled' || status === 'timeout',
    cancel: !isFinished(status),
    move: download && (status === 'pending' || status === 'paused'),
  };
}

export type FileKind = 'archive' | 'video' | 'audio' | 'image' | 'document' | 'code' | 'disk' | 'file';

const kinds: [FileKind, RegExp][] = [
  ['archive', /\.(zip|rar|7z|tar|gz|tgz|bz2|xz|zst)$/i],
  ['video', /\.(mp4|mkv|webm|avi|mov|m4v)$/i],
  ['audio', /\.(mp3|flac|ogg|wav|m4a|opus)$/i],
  ['image', /\.(png|jpe?g|gif|webp|svg|bmp|avif)$/i],
  ['document', /\.(pdf|docx?|xlsx?|pptx?|odt|txt|md|epub|csv)$/i],
  ['code', /\.(js|ts|json|py|rs|go|c|h|cpp|sh|html|css)$/i],
  ['disk', /\.(iso|img|dmg|exe|msi|deb|rpm|appimage|apk)$/i],
];

/** The type icon of a file, from its name. */
export function fileKind(name: string): FileKind {
  return kinds.find(([, pattern]) => pattern.test(name))?.[0] ?? 'file';
}
