/** aria2's methods about options, the whole session and the endpoint itself. */
import { randomBytes } from 'node:crypto';
import type { QueueOverview, Settings } from '../../../src-common/contract';
import type { z } from 'zod';
import { wrongType } from './errors';
import { downloadOf, lists, run } from './gids';
import type { Method } from './methods-downloads';
import { globalOptions, jobOptions, parseSpeed, settingsChange, type Options } from './options';

/** The aria2 release whose RPC interface this endpoint follows. */
export const aria2Version = '1.37.0';

export const notificationNames = [
  'aria2.onDownloadStart',
  'aria2.onDownloadPause',
  'aria2.onDownloadStop',
  'aria2.onDownloadComplete',
  'aria2.onDownloadError',
  'aria2.onBtDownloadComplete',
] as const;

function optionsAt(params: unknown[], index: number): Options {
  const value = params[index];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw wrongType(index);
  return value as Options;
}

/** One session per run of Haul, as aria2 has one per process. */
const sessionId = randomBytes(20).toString('hex');

export function globalMethods(version: string): Record<string, Method> {
  return {
    'aria2.getGlobalStat': async ({ core }) => {
      const { active, waiting, stopped } = lists(core);
      const { queues } = await run<{ queues: z.infer<typeof QueueOverview>[] }>(core, 'jobs.queues', {});
      const counts = queues.find((q) => q.name === 'download')?.counts ?? {};
      const stoppedTotal = (counts.completed ?? 0) + (counts.failed ?? 0) + (counts.cancelled ?? 0);
      return {
        downloadSpeed: String(active.reduce((sum, job) => sum + Math.round(job.speed), 0)),
        uploadSpeed: '0',
        numActive: String(active.length),
        numWaiting: String(waiting.length),
        numStopped: String(stopped.length),
        numStoppedTotal: String(Math.max(stoppedTotal, stopped.length)),
      };
    },
    'aria2.getVersion': () => ({
      version: aria2Version,
      enabledFeatures: ['Async DNS', 'GZip', 'HTTPS', 'Message Digest'],
      // Haul's own version, for clients that want to know whom they talk to.
      haul: version,
    }),
    'aria2.getSessionInfo': () => ({ sessionId }),
    // Every job is in Haul's database as it changes: there is nothing left to save.
    'aria2.saveSession': () => 'OK',
    'aria2.getOption': async ({ core }, params) => {
      const job = await downloadOf(core, params[0], 0);
      return jobOptions(job, core.settings.get());
    },
    'aria2.getGlobalOption': async ({ core, downloadDir }) => globalOptions(core.settings.get(), await downloadDir()),
    'aria2.changeOption': async ({ core }, params) => {
      const job = await downloadOf(core, params[0], 0);
      const options = optionsAt(params, 1);
      const limit = parseSpeed('max-download-limit', options['max-download-limit']);
      if (limit !== undefined) {
        await run(core, 'jobs.setSpeedLimit', { id: job.id, speedLimit: limit });
      }
      return 'OK';
    },
    'aria2.changeGlobalOption': async ({ core }, params) => {
      const change: Partial<Settings> = settingsChange(optionsAt(params, 0));
      if (Object.keys(change).length > 0) await run(core, 'settings.update', change);
      return 'OK';
    },
    'system.listNotifications': () => [...notificationNames],
  };
}
