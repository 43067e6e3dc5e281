/** Human-readable sizes and durations for the table and the panel. */

import { formatBytes } from '../../../src-common/format-bytes';

export { formatBytes };

export function formatSpeed(bytesPerSecond: number): string {
  return bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond)}/s` : '—';
}

const counts = new Intl.NumberFormat();

/** A count as people read it, grouped: "9,997". One formatter: `toLocaleString` makes one a call. */
export function formatCount(count: number): string {
  return counts.format(count);
}

/**
 * A count for a small badge: "999", "1.2k", "10k", "2.5M". Never rounded up: 9,999 is
 * "9.9k", so a badge never claims more than there is.
 */
export function compactCount(count: number): string {
  if (count < 1000) return String(count);
  const [unit, size] = count < 1_000_000 ? ['k', 1000] : ['M', 1_000_000];
  const scaled = count / size;
  return scaled < 10 ? `${Math.floor(scaled * 10) / 10}${unit}` : `${Math.floor(scaled)}${unit}`;
}

/** Seconds left -> "2h 05m", "3m 07s", "12s". */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** Today's times as the clock time, older ones as the date. */
export function formatAdded(timestamp: number, now = Date.now()): string {
  const date = new Date(timestamp);
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) {
    return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  }
  return date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function formatDateTime(timestamp: number | null): string {
  return timestamp === null ? '—' : new Date(timestamp).toLocaleString();
}

/** The percentage as shown: whole numbers, but never "100%" before the job is done. */
export function formatPercent(progress: number, done: boolean): string {
  const rounded = Math.floor(progress);
  return `${done ? 100 : Math.min(99, rounded)}%`;
}

/**
 * A running download's line: "2.3 MB of 8.6 MB · 1.0 MB/s · 7s left". What is not known
 * yet (the size, a speed before the first bytes, the time left) is left out, not dashed.
 */
export function formatTransfer(job: {
  receivedBytes: number;
  totalBytes: number | null;
  speed: number;
  eta: number | null;
}): string {
  const parts = [
    job.totalBytes
      ? `${formatBytes(job.receivedBytes)} of ${formatBytes(job.totalBytes)}`
      : formatBytes(job.receivedBytes),
  ];
  if (job.speed > 0) parts.push(formatSpeed(job.speed));
  const eta = formatEta(job.eta);
  if (eta !== '—') parts.push(`${eta} left`);
  return parts.join(' · ');
}
