import { readFileSync } from 'node:fs';
import { uptime } from 'node:os';

let cached: string | null = null;

/**
 * Names the running boot of this machine. Bytes written to a file but not yet synced
 * survive the death of the process (SIGKILL, a crash) and are lost only when the system
 * itself goes down: while the boot is the same, they are on disk. Linux gives a random id
 * per boot; elsewhere the boot time, rounded, stands in. Two readings that disagree only
 * cost a re-fetch, never trust in a byte that is not there.
 */
export function bootId(): string {
  if (cached !== null) return cached;
  try {
    cached = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    cached = '';
  }
  if (cached === '') cached = `t${Math.round((Date.now() / 1000 - uptime()) / 10)}`;
  return cached;
}
