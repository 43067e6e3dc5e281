import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';

/** A 16-hex aria2 GID, as aria2 writes them (lower case). */
export const gidPattern = /^[0-9a-f]{16}$/;

/**
 * The aria2 GIDs of download jobs (the `aria2_gids` table). A job gets its GID the first
 * time an aria2 client sees it and keeps it across restarts; deleting the job deletes it.
 */
export class GidStore {
  constructor(
    private readonly db: Database,
    private readonly random: () => string = () => randomBytes(8).toString('hex'),
  ) {}

  /** The job's GID, made on first use. */
  gidOf(jobId: string): string {
    const row = this.db.prepare('SELECT gid FROM aria2_gids WHERE job_id = ?').get(jobId) as
      { gid: string } | undefined;
    if (row) return row.gid;
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const gid = this.random();
      // aria2 never hands out the all-zero GID; a clash with a stored one is retried.
      if (!gidPattern.test(gid) || /^0+$/.test(gid)) continue;
      const added = this.db.prepare('INSERT OR IGNORE INTO aria2_gids (gid, job_id) VALUES (?, ?)').run(gid, jobId);
      if (added.changes === 1) return gid;
    }
    throw new Error('Could not find a free aria2 GID.');
  }

  /**
   * Binds a GID the client chose (aria2's `gid` option), replacing one the job may have
   * been given meanwhile; false, and nothing changed, when another job holds it.
   */
  assign(jobId: string, gid: string): boolean {
    return this.db.transaction(() => {
      const holder = this.db.prepare('SELECT job_id AS jobId FROM aria2_gids WHERE gid = ?').get(gid) as
        { jobId: string } | undefined;
      if (holder) return holder.jobId === jobId;
      this.db.prepare('DELETE FROM aria2_gids WHERE job_id = ?').run(jobId);
      this.db.prepare('INSERT INTO aria2_gids (gid, job_id) VALUES (?, ?)').run(gid, jobId);
      return true;
    })();
  }

  /**
   * The jobs whose GID starts with `prefix` (aria2 accepts any unique prefix), at most
   * two: one is a match, two say the prefix is ambiguous.
   */
  lookup(prefix: string): { gid: string; jobId: string }[] {
    if (!/^[0-9a-f]{1,16}$/.test(prefix)) return [];
    // Range scan on the primary key: [prefix, prefix + 'g') holds every hex continuation.
    return this.db
      .prepare('SELECT gid, job_id AS jobId FROM aria2_gids WHERE gid >= ? AND gid < ? ORDER BY gid LIMIT 2')
      .all(prefix, `${prefix}g`) as { gid: string; jobId: string }[];
  }
}
