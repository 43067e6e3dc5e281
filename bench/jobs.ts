/**
 * `npm run bench -- jobs`: the job core under load. Prints a table of measurements
 * against the targets of the job-core design (start < 1 s, list page < 20 ms).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DownloadJob } from '../src-common/contract';
import { JobCenter } from '../src-main/core/jobs/job-center';
import { retentionDefaults, sweep } from '../src-main/core/jobs/retention';
import type { DownloadRunner } from '../src-main/core/jobs/runner';
import { SettingsStore } from '../src-main/core/settings';
import { downloadJob } from '../src-main/test/job-fixtures';
import { openDatabase } from '../src-main/core/store/database';
import { JobStore } from '../src-main/core/store/job-store';
import { HistoryPruner } from '../src-main/core/store/history-pruner';
import { ClosureRunner } from '../src-main/test/closure-runner';

export interface Row {
  measure: string;
  value: string;
  /** The same measure for a peer (aria2c, curl) in the same run, when there is one. */
  peer?: string;
  target: string;
  ok: boolean | undefined;
}

/** An engine that never finishes: the queue fills and the core does only bookkeeping. */
const idleEngine: DownloadRunner = (context) =>
  new Promise((_, reject) => context.signal.addEventListener('abort', () => reject(context.signal.reason)));

function open(dir: string) {
  const db = openDatabase({ file: join(dir, 'haul.db') });
  const settings = new SettingsStore(db);
  const center = new JobCenter({
    db,
    settings,
    downloadDir: dir,
    downloadRunner: idleEngine,
    pluginRunner: new ClosureRunner(),
  });
  return { db, center };
}

export function historyJob(i: number, now: number): DownloadJob {
  const at = now - 1000 * i;
  return downloadJob({
    id: i.toString(16).padStart(8, '0'),
    status: i % 5 === 0 ? 'failed' : 'completed',
    progress: 100,
    message: 'Completed',
    createdAt: at,
    startedAt: at,
    finishedAt: at + 500,
    updatedAt: at + 500,
    url: `https://files.example/archive/${i}.zip`,
    fileName: `${i}.zip`,
    dir: '/downloads',
    totalBytes: 1_000_000,
    receivedBytes: 1_000_000,
    connections: 0,
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function benchJobs(): Promise<Row[]> {
  const rows: Row[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'haul-bench-jobs-'));
  try {
    // 1. Submitting 10,000 jobs one call at a time.
    {
      const { db, center } = open(dir);
      center.start();
      const started = performance.now();
      for (let i = 0; i < 10_000; i += 1) center.submit({ url: `https://files.example/${i}.bin` });
      const seconds = (performance.now() - started) / 1000;
      rows.push({
        measure: 'submit 10,000 jobs',
        value: `${Math.round(10_000 / seconds)} jobs/s`,
        target: '-',
        ok: undefined,
      });
      await center.close();
      db.close();
    }
    // 2. Cold start with 100,000 history rows.
    const historyDir = mkdtempSync(join(dir, 'history-'));
    {
      const db = openDatabase({ file: join(historyDir, 'haul.db') });
      const store = new JobStore(db);
      const now = Date.now();
      db.transaction(() => {
        for (let i = 1; i <= 100_000; i += 1) {
          store.insert({ job: historyJob(i, now), position: i, live: false, notBefore: null, resumeState: null });
        }
      })();
      db.close();
    }
    {
      // 3. List pages over all 100,000 rows (before retention prunes them to its caps).
      const { db, center } = open(historyDir);
      const times: number[] = [];
      for (let i = 0; i < 30; i += 1) {
        const t0 = performance.now();
        center.list({ status: 'completed,failed', order: '-finishedAt', limit: 50, offset: 5000 + i * 50 });
        times.push(performance.now() - t0);
      }
      const page = median(times);
      rows.push({
        measure: 'list page (50 of 100,000, offset 5000)',
        value: `${page.toFixed(1)} ms`,
        target: '< 20 ms',
        ok: page < 20,
      });
      const search: number[] = [];
      for (let i = 0; i < 30; i += 1) {
        const t0 = performance.now();
        center.list({ text: `${i}99.zip`, limit: 50 });
        search.push(performance.now() - t0);
      }
      const text = median(search);
      rows.push({
        measure: 'list page, text search in 100,000',
        value: `${text.toFixed(1)} ms`,
        target: '< 20 ms',
        ok: text < 20,
      });
      await center.close();
      db.close();
    }
    {
      const started = performance.now();
      const { db, center } = open(historyDir);
      center.start();
      const ms = performance.now() - started;
      rows.push({
        measure: 'cold start, 100,000 history rows',
        value: `${ms.toFixed(0)} ms`,
        target: '< 1000 ms',
        ok: ms < 1000,
      });
      // The first retention sweep runs shortly after start and prunes history to its caps.
      // It goes in batches; the longest batch is how long the event loop is held.
      let longest = 0;
      let batches = 0;
      const pruner = new HistoryPruner(db);
      const pruneCpu = process.cpuUsage();
      for (let pruned = 1; pruned > 0 && batches < 1000; batches += 1) {
        const t0 = performance.now();
        pruned = sweep(center.registry, pruner, Date.now(), { ...retentionDefaults, expiryDays: () => 30 });
        longest = Math.max(longest, performance.now() - t0);
      }
      const { user, system } = process.cpuUsage(pruneCpu);
      const left = center.list({ limit: 1 }).total;
      rows.push({
        measure: `pruning 100,000 rows to ${left}: longest of ${batches} batches`,
        value: `${longest.toFixed(0)} ms`,
        target: '-',
        ok: undefined,
      });
      rows.push({
        measure: '    CPU time of that pruning',
        value: `${((user + system) / 1000).toFixed(0)} ms`,
        target: '-',
        ok: undefined,
      });

      // 4. Fan-out: 1,000 events to 100 subscribers.
      const subscribers = Array.from({ length: 100 }, () => center.hub.subscribe());
      for (const s of subscribers) s.poll();
      const job = historyJob(1, Date.now());
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < 1000; i += 1) {
        center.hub.publish('updated', { ...job, progress: i % 100 }, true);
        if (i % 50 === 49) for (const s of subscribers) while (s.poll());
      }
      const cpu = process.cpuUsage(cpu0);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      rows.push({
        measure: 'fan-out, 1,000 events to 100 subscribers',
        value: `${cpuMs.toFixed(1)} ms CPU`,
        target: '-',
        ok: undefined,
      });
      for (const s of subscribers) s.close();
      await center.close();
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
