import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** The files of a data folder a restart reads: the database, its WAL and the claim log. */
const dataFiles = ['haul.db', 'haul.db-wal', 'haul-claims.log'];

/**
 * What a SIGKILL leaves: the data folder's files as they are now, copied into `to` while
 * the process still runs (SQLite's committed frames in its WAL, the log's lines). The
 * WAL's index is left out: the first connection rebuilds it, as after a crash.
 */
export function copyAsCrashed(from: string, to: string): void {
  for (const name of dataFiles) {
    if (existsSync(join(from, name))) copyFileSync(join(from, name), join(to, name));
  }
}
