/**
 * The child of the download kill test: the real core and the real engine on a data
 * folder, downloading from the parent's test server until it is killed. `submit` makes
 * the jobs (printing `ACK <id>`); every run prints `DONE` once all of them completed.
 */
import { writeSync } from 'node:fs';
import { createCoreWithParts } from '../core/app';

const [dataDir, downloadDir, mode, urls] = process.argv.slice(2) as [string, string, string, string];
const core = createCoreWithParts({
  dataDir,
  downloadDir,
  runtime: 'headless',
  version: '0.0.0-kill',
  jobs: { backoff: { baseMs: 5, maxMs: 50 } },
});
if (mode === 'submit') {
  const { jobs } = core.jobs.submit({ url: urls.split(' ').join('\n'), connections: 2 });
  for (const job of jobs) writeSync(1, `ACK ${job.id}\n`);
}
writeSync(1, 'READY\n');
setInterval(() => {
  const jobs = core.events.snapshot().jobs;
  if (jobs.length > 0 && jobs.every((job) => job.status === 'completed')) writeSync(1, 'DONE\n');
}, 50);
