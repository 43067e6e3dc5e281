/**
 * From what an aria2 client sends to Haul's jobs and back: GIDs (unique prefixes
 * accepted, as aria2 does) and the download lists aria2 keeps.
 */
import type { CommandName, DownloadJob, Envelope } from '../../../src-common/contract';
import type { Core } from '../../core/app';
import { Aria2Error, wrongType } from './errors';
import { statusOf } from './shapes';

/** What the endpoint uses of the core: the facade, nothing behind it. */
export type Aria2Core = Pick<Core, 'invoke' | 'events' | 'settings' | 'info' | 'gids'>;

/** Runs a command; a refusal becomes an aria2 error with `message`, or the core's own message. */
export async function run<T>(core: Aria2Core, name: CommandName, input: unknown, message?: string): Promise<T> {
  const answer = (await core.invoke(name, input)) as Envelope<T>;
  if (!answer.ok) throw new Aria2Error(message ?? answer.error.message);
  return answer.value;
}

/** The job id a GID (or a unique prefix of one) names. `index` is the parameter's place. */
export function jobIdOf(core: Aria2Core, gid: unknown, index: number): string {
  if (typeof gid !== 'string') throw wrongType(index);
  const key = gid.toLowerCase();
  if (!/^[0-9a-f]{1,16}$/.test(key)) throw new Aria2Error(`Invalid GID ${gid}`);
  const found = core.gids.lookup(key);
  if (found.length === 0) throw new Aria2Error(`GID ${gid} is not found`);
  if (found.length > 1) throw new Aria2Error(`GID ${gid} is not unique`);
  return found[0]!.jobId;
}

/** The download a GID names, from the live list or the history. */
export async function downloadOf(core: Aria2Core, gid: unknown, index: number): Promise<DownloadJob> {
  const id = jobIdOf(core, gid, index);
  const { job } = await run<{ job: DownloadJob | { source: 'plugin' } }>(
    core,
    'jobs.get',
    { id },
    `GID ${String(gid)} is not found`,
  );
  if (job.source !== 'download') throw new Aria2Error(`GID ${String(gid)} is not found`);
  return job;
}

/** Queue order, as the scheduler starts them: priority first, then place. */
const byQueue = (a: DownloadJob, b: DownloadJob) => b.priority - a.priority || a.position - b.position;

/** aria2's three lists, from Haul's live list: active, waiting (paused included), stopped. */
export function lists(core: Aria2Core): { active: DownloadJob[]; waiting: DownloadJob[]; stopped: DownloadJob[] } {
  const jobs = core.events.snapshot().jobs;
  const of = (wanted: string[]) => jobs.filter((job) => wanted.includes(statusOf[job.status]));
  return {
    active: of(['active']).sort(byQueue),
    waiting: of(['waiting', 'paused']).sort(byQueue),
    // Oldest first, as aria2 appends each download when it stops.
    stopped: of(['complete', 'error', 'removed']).sort(
      (a, b) => (a.finishedAt ?? a.updatedAt) - (b.finishedAt ?? b.updatedAt) || a.createdAt - b.createdAt,
    ),
  };
}
