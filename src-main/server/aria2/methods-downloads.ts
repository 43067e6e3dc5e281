/** aria2's methods that add, read and drive downloads, each on Haul's commands. */
import type { DownloadJob, SubmitInput } from '../../../src-common/contract';
import { Aria2Error, wrongType } from './errors';
import { downloadOf, jobIdOf, lists, run, type Aria2Core } from './gids';
import { submitOptions, type Options } from './options';
import { filesOf, isStopped, pick, statusObject, statusOf, urisOf, windowOf } from './shapes';

export interface MethodContext {
  core: Aria2Core;
  /** The folder downloads go to when a client names none. */
  downloadDir(): Promise<string>;
}

export type Method = (context: MethodContext, params: unknown[]) => unknown;

function keysAt(params: unknown[], index: number): string[] | undefined {
  const keys = params[index];
  if (keys === undefined) return undefined;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw wrongType(index);
  return keys;
}

function intAt(params: unknown[], index: number): number {
  const value = params[index];
  if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(index);
  return value;
}

function optionsAt(params: unknown[], index: number): Options {
  const value = params[index] ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw wrongType(index);
  return value as Options;
}

const shape = (core: Aria2Core, job: DownloadJob, keys?: string[]) =>
  pick(statusObject(job, core.gids.gidOf(job.id)), keys);

async function addUri({ core, downloadDir }: MethodContext, params: unknown[]): Promise<string> {
  const uris = params[0];
  if (!Array.isArray(uris) || !uris.every((u) => typeof u === 'string')) throw wrongType(0);
  const options = optionsAt(params, 1);
  // aria2's URIs are mirrors of one file; Haul fetches from the first http(s) one.
  const uri = uris.find((u) => /^https?:\/\//i.test(u));
  if (!uri) throw new Aria2Error('No URI to download. Haul downloads http and https links only.');
  const gid = options.gid === undefined ? undefined : String(options.gid).toLowerCase();
  if (gid !== undefined && (!/^[0-9a-f]{16}$/.test(gid) || core.gids.lookup(gid).length > 0)) {
    throw new Aria2Error(`We encountered a problem while processing the option '--gid'.`);
  }
  const position = params[2];
  if (position !== undefined && (typeof position !== 'number' || !Number.isInteger(position))) throw wrongType(2);
  // Every check is done before the submit: a refused call adds nothing.
  const input: SubmitInput = { url: uri, ...submitOptions(options, await downloadDir()), force: true };
  const answer = await core.invoke('downloads.submit', input);
  if (!answer.ok) throw new Aria2Error(answer.error.message);
  const job = (answer.value as { jobs: DownloadJob[] }).jobs[0]!;
  if (gid !== undefined) core.gids.assign(job.id, gid);
  if (position !== undefined) {
    // A download that already started has no place in the waiting queue: nothing to move.
    await moveTo({ core, downloadDir }, job.id, position, 2).catch(() => undefined);
  }
  return core.gids.gidOf(job.id);
}

/** Moves a waiting download to `index` in the waiting list; returns where it ended up. */
async function moveTo(context: MethodContext, id: string, index: unknown, at: number): Promise<number> {
  if (typeof index !== 'number' || !Number.isInteger(index)) throw wrongType(at);
  const waiting = lists(context.core).waiting.map((j) => j.id);
  const from = waiting.indexOf(id);
  if (from < 0) throw new Aria2Error(`GID#${context.core.gids.gidOf(id)} not found in the waiting queue.`);
  const to = Math.max(0, Math.min(waiting.length - 1, index));
  if (to === from) return to;
  if (to === 0 || to === waiting.length - 1) {
    await run(context.core, 'jobs.move', { id, to: to === 0 ? 'top' : 'bottom' });
    return to;
  }
  for (let step = 0; step < Math.abs(to - from); step += 1) {
    await run(context.core, 'jobs.move', { id, to: to < from ? 'up' : 'down' });
  }
  return to;
}

async function changePosition(context: MethodContext, params: unknown[]): Promise<number> {
  const id = jobIdOf(context.core, params[0], 0);
  const offset = intAt(params, 1);
  const how = params[2];
  const waiting = lists(context.core).waiting.map((j) => j.id);
  const from = waiting.indexOf(id);
  let to: number;
  if (how === 'POS_SET') to = offset;
  else if (how === 'POS_CUR') to = from + offset;
  else if (how === 'POS_END') to = waiting.length - 1 + offset;
  else throw wrongType(2);
  return moveTo(context, id, to, 1);
}

/** pause, unpause, remove: one command per GID, with aria2's refusal wording. */
function drive(command: 'jobs.pause' | 'jobs.resume' | 'jobs.cancel', refusal: (gid: string) => string): Method {
  return async ({ core }, params) => {
    const id = jobIdOf(core, params[0], 0);
    const gid = core.gids.gidOf(id);
    await run(core, command, { id }, refusal(gid));
    return gid;
  };
}

const removeRefusal = (gid: string) => `Active Download not found for GID#${gid}`;

export const downloadMethods: Record<string, Method> = {
  'aria2.addUri': addUri,
  'aria2.addTorrent': () => {
    throw new Aria2Error('Haul downloads http and https links only; torrents are not supported.');
  },
  'aria2.addMetalink': () => {
    throw new Aria2Error('Haul downloads http and https links only; Metalink files are not supported.');
  },
  'aria2.remove': drive('jobs.cancel', removeRefusal),
  'aria2.forceRemove': drive('jobs.cancel', removeRefusal),
  'aria2.pause': drive('jobs.pause', (gid) => `GID#${gid} cannot be paused now`),
  'aria2.forcePause': drive('jobs.pause', (gid) => `GID#${gid} cannot be paused now`),
  'aria2.unpause': drive('jobs.resume', (gid) => `GID#${gid} cannot be unpaused now`),
  'aria2.pauseAll': async ({ core }) => (await run(core, 'jobs.pauseAll', {}), 'OK'),
  'aria2.forcePauseAll': async ({ core }) => (await run(core, 'jobs.pauseAll', {}), 'OK'),
  'aria2.unpauseAll': async ({ core }) => (await run(core, 'jobs.resumeAll', {}), 'OK'),
  'aria2.changePosition': changePosition,
  'aria2.tellStatus': async ({ core }, params) => shape(core, await downloadOf(core, params[0], 0), keysAt(params, 1)),
  'aria2.getFiles': async ({ core }, params) => filesOf(await downloadOf(core, params[0], 0)),
  'aria2.getUris': async ({ core }, params) => urisOf(await downloadOf(core, params[0], 0)),
  'aria2.getServers': async ({ core }, params) => {
    const job = await downloadOf(core, params[0], 0);
    if (statusOf[job.status] !== 'active')
      throw new Aria2Error(`No active download for GID#${core.gids.gidOf(job.id)}`);
    const server = { uri: job.url, currentUri: job.finalUrl ?? job.url, downloadSpeed: String(Math.round(job.speed)) };
    return [{ index: '1', servers: [server] }];
  },
  'aria2.getPeers': async ({ core }, params) => {
    const job = await downloadOf(core, params[0], 0);
    // HTTP downloads have no peers: aria2 answers an empty list while one runs.
    if (statusOf[job.status] === 'active') return [];
    throw new Aria2Error(`No peer data is available for GID#${core.gids.gidOf(job.id)}`);
  },
  'aria2.tellActive': ({ core }, params) => lists(core).active.map((job) => shape(core, job, keysAt(params, 0))),
  'aria2.tellWaiting': ({ core }, params) =>
    windowOf(lists(core).waiting, intAt(params, 0), intAt(params, 1)).map((job) => shape(core, job, keysAt(params, 2))),
  'aria2.tellStopped': ({ core }, params) =>
    windowOf(lists(core).stopped, intAt(params, 0), intAt(params, 1)).map((job) => shape(core, job, keysAt(params, 2))),
  'aria2.removeDownloadResult': async ({ core }, params) => {
    const job = await downloadOf(core, params[0], 0);
    const refusal = `Could not remove download result of GID#${core.gids.gidOf(job.id)}`;
    if (!isStopped(statusOf[job.status])) throw new Aria2Error(refusal);
    await run(core, 'jobs.remove', { id: job.id }, refusal);
    return 'OK';
  },
  'aria2.purgeDownloadResult': async ({ core }) => {
    // The records go; the files and the library stay, as with aria2's purge.
    for (const job of lists(core).stopped) await run(core, 'jobs.remove', { id: job.id });
    return 'OK';
  },
};
