import type { Snapshot } from '../../src-common/contract';

export interface TrayState {
  icon: 'idle' | 'active' | 'error';
  tooltip: string;
  /** Overall progress of active downloads, 0..1; -1 removes the bar (setProgressBar). */
  progress: number;
  /** Active downloads, for the macOS dock badge ('' hides it). */
  badge: string;
}

/** 3.2 MB/s, 870 kB/s: decimal units, one decimal under 10. */
export function formatSpeed(bytesPerSecond: number): string {
  const units = ['B/s', 'kB/s', 'MB/s', 'GB/s'];
  let value = bytesPerSecond;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** A count grouped as the user's locale writes it: 9,997. */
const count = (n: number): string => n.toLocaleString();

/**
 * What the tray shows for the current jobs: e.g. "2 downloading · 45% · 3.2 MB/s · 1 task".
 * The error icon stays while a failed (or timed-out) job is in the live list.
 */
export function trayState(snapshot: Snapshot): TrayState {
  const active = snapshot.jobs.filter((j) => j.status === 'downloading' || j.status === 'processing');
  const queued = snapshot.jobs.filter((j) => j.status === 'pending').length;
  const failed =
    snapshot.jobs.some((j) => j.status === 'failed') ||
    snapshot.actionJobs.some((j) => j.status === 'failed') ||
    snapshot.tasks.some((j) => j.status === 'failed' || j.status === 'timeout');
  const running = snapshot.actionJobs.filter((j) => j.status === 'running').length;
  const tasks = snapshot.tasks.filter((j) => j.status === 'running' || j.status === 'suspending').length;

  const sized = active.filter((j) => j.totalBytes);
  const total = sized.reduce((sum, j) => sum + (j.totalBytes ?? 0), 0);
  const received = sized.reduce((sum, j) => sum + Math.min(j.receivedBytes, j.totalBytes ?? 0), 0);
  const speed = active.reduce((sum, j) => sum + j.speed, 0);
  const progress = active.length === 0 ? -1 : total > 0 ? received / total : 2; // 2: indeterminate

  const parts: string[] = [];
  if (active.length > 0) {
    parts.push(`${count(active.length)} downloading`);
    if (total > 0) parts.push(`${Math.floor((received / total) * 100)}%`);
    parts.push(formatSpeed(speed));
  }
  if (queued > 0) parts.push(`${count(queued)} queued`);
  if (running > 0) parts.push(`${count(running)} plugin job${running === 1 ? '' : 's'}`);
  if (tasks > 0) parts.push(`${count(tasks)} task${tasks === 1 ? '' : 's'}`);
  if (failed) parts.push('some failed');

  return {
    icon: failed ? 'error' : active.length > 0 || running > 0 || tasks > 0 ? 'active' : 'idle',
    tooltip: parts.length > 0 ? `Haul: ${parts.join(' · ')}` : 'Haul: idle',
    progress,
    badge: active.length > 0 ? String(active.length) : '',
  };
}
