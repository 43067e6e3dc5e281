import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { downloadStatuses, pluginStatuses } from '../../../src-common/contract';
import { JobStore } from '../store/job-store';
import { tempDir } from '../../test/temp-dir';

const root = resolve(__dirname, '../../..');
const child = join(root, 'src-main/test/crash-child.ts');
const dir = tempDir('haul-crash-');
afterAll(() => dir.remove());

/** Runs the child until `killAfterMs` after it is ready, then SIGKILLs it. */
function runAndKill(seed: number, killAfterMs: number): Promise<string[]> {
  return new Promise((resolvePromise, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir.path, String(seed)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killer: NodeJS.Timeout | undefined;
    const guard = setTimeout(() => proc.kill('SIGKILL'), 20_000);
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!killer && out.includes('READY\n')) killer = setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
    });
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.on('exit', (code, signal) => {
      clearTimeout(guard);
      clearTimeout(killer);
      if (signal !== 'SIGKILL') reject(new Error(`child exited by itself (${code}):\n${err}`));
      else resolvePromise([...out.matchAll(/^ACK ([0-9a-f]+)$/gm)].map((m) => m[1]!));
    });
  });
}

describe('crash safety', () => {
  it('loses no acknowledged job and keeps every status legal across 20 SIGKILLs', async () => {
    const acknowledged = new Set<string>();
    let lastRandom = 7;
    for (let round = 1; round <= 20; round += 1) {
      lastRandom = (lastRandom * 48271) % 2147483647;
      const acks = await runAndKill(round, 60 + (lastRandom % 400));
      for (const id of acks) acknowledged.add(id);

      const db = new BetterSqlite3(join(dir.path, 'haul.db'));
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const rows = db.prepare('SELECT id, source, status FROM jobs').all() as {
          id: string;
          source: 'download' | 'plugin';
          status: string;
        }[];
        const store = new JobStore(db);
        const ids = new Set(rows.map((r) => r.id));
        const missing = [...acknowledged].filter((id) => !ids.has(id));
        expect(missing, `round ${round}: acknowledged jobs missing`).toEqual([]);
        for (const row of rows) {
          const legal: readonly string[] = row.source === 'download' ? downloadStatuses : pluginStatuses;
          expect(legal).toContain(row.status);
          // Every row reads back as a whole job, as the core reads it.
          expect(store.get(row.id)?.job.status).toBe(row.status);
        }
      } finally {
        db.close();
      }
    }
    expect(acknowledged.size).toBeGreaterThan(20);
  }, 120_000);
});
