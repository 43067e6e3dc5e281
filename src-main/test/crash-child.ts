/**
 * The child of the crash test: runs the real core on a data folder with a simulated
 * engine and a steady stream of commands, printing `ACK <id>` for every job the API
 * acknowledged, until it is killed.
 */
import { writeSync } from 'node:fs';
import { createCoreWithParts } from '../core/app';
import { JobFailure, type DownloadRunner } from '../core/jobs/runner';
import { ClosureRunner } from './closure-runner';

const dataDir = process.argv[2]!;
const seed = Number(process.argv[3] ?? 1);
let state = seed;
/** A small deterministic generator, so a failing run can be repeated. */
function random(): number {
  state = (state * 1103515245 + 12345) % 2147483648;
  return state / 2147483648;
}

const simulatedEngine: DownloadRunner = (context) =>
  new Promise((resolve, reject) => {
    const total = 1000;
    let received = Number((context.resumeState as { received?: number } | null)?.received ?? 0);
    const timer = setInterval(() => {
      received = Math.min(total, received + 100 + Math.floor(random() * 200));
      context.progress({ receivedBytes: received, totalBytes: total, speed: 1000, connections: 1 });
      context.saveState({ received });
      const roll = random();
      if (roll < 0.05) {
        clearInterval(timer);
        reject(new JobFailure('network', 'connection reset', { transient: true }));
      } else if (roll < 0.08) {
        clearInterval(timer);
        reject(new JobFailure('http', 'The server answered 404 Not Found', { status: 404 }));
      } else if (received >= total) {
        clearInterval(timer);
        context.enterProcessing();
        resolve({
          path: `${context.job.dir}/${context.job.id}.bin`,
          fileName: `${context.job.id}.bin`,
          totalBytes: total,
          finalUrl: context.job.url,
          contentType: null,
          sha256: null,
        });
      }
    }, 5);
    context.signal.addEventListener('abort', () => {
      clearInterval(timer);
      reject(context.signal.reason);
    });
  });

const pluginJobs = new ClosureRunner();
const core = createCoreWithParts({
  dataDir,
  downloadDir: `${dataDir}/downloads`,
  runtime: 'headless',
  version: '0.0.0-crash',
  downloadRunner: simulatedEngine,
  pluginJobRunner: pluginJobs,
  jobs: { backoff: { baseMs: 5, maxMs: 20 } },
});
core.settingsStore.update({ maxConcurrentDownloads: 4 });
writeSync(1, 'READY\n');

let n = 0;
setInterval(() => {
  const roll = random();
  if (roll < 0.5) {
    const { jobs } = core.jobs.submit({
      url: `https://files.example/${seed}/${n++}.bin\nhttps://files.example/${seed}/${n++}.bin`,
    });
    for (const job of jobs) writeSync(1, `ACK ${job.id}\n`);
  } else if (roll < 0.6) {
    const job = pluginJobs.queue(
      core.jobs,
      { pluginName: random() < 0.5 ? 'a' : 'b', actionId: 'work', label: 'work', entityType: 'custom' },
      (context) =>
        new Promise((resolve) => {
          context.progress(50, 'half way');
          setTimeout(() => resolve({ done: true }), 20 + random() * 50);
        }),
    );
    writeSync(1, `ACK ${job.id}\n`);
  } else {
    const live = core.jobs.registry.liveJobs();
    const target = live[Math.floor(random() * live.length)]?.job;
    if (!target) return;
    const command = (['pause', 'resume', 'cancel', 'retry'] as const)[Math.floor(random() * 4)]!;
    try {
      core.jobs[command](target.id);
    } catch {
      // Illegal commands are refused; that is part of what is exercised.
    }
  }
}, 3);
