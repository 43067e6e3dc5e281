import { z } from 'zod';
import { type commands, DownloadJob, Job, QueueCounts, type CommandName } from '../../src-common/contract';
import { queuesApiCounts } from './routes-queues';
import type { QueryShape } from './query';
import { BadRequest } from './reply';
import { restJob, typeFilter } from './rest-job';
import { SeedJobFields, statusFilterFromSeed } from './seed-job-package';

/** A job on the REST routes: Haul's fields and the seeds' `jobId`, `name` and `type` (rest-job.ts). */
const RestJobShape = Job.and(z.object({ jobId: z.string(), name: z.string(), type: z.string() })).and(SeedJobFields);

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * A REST route that is one contract command under another name (the event-stream, queues, job-queue
 * and job-package APIs; see ARCHITECTURE.md). Declared once here: the router registers it and the OpenAPI document describes
 * it from the same entry.
 */
export interface CommandRoute {
  method: Method;
  url: string;
  command: CommandName;
  summary: string;
  /** Where the command's input comes from; `none` ignores any body or query. */
  input: 'body' | 'query' | 'none';
  /** How query strings and path parameters become numbers and booleans. */
  query?: QueryShape;
  /** Path parameters copied into the input (`:id`). */
  params?: readonly string[];
  /** Turns another API family's query fields into the command's (`page` into `offset`). */
  adapt?: (input: Record<string, unknown>) => Record<string, unknown>;
  /** Reshapes the command's value into the API family's own shape, described by `output`. */
  present?: (value: never) => unknown;
  output?: z.ZodType;
}

/** The job-package API's sort fields, by their names there. */
const orderAliases: Record<string, string> = {
  scheduled_at: 'createdAt',
  updated_at: 'updatedAt',
  started_at: 'startedAt',
};

/**
 * `page` (1-based, the job-package API) becomes `offset` with the page size (@default 100),
 * and its snake_case sort fields ours; an unknown one still reaches the schema and is refused there.
 */
function pageToOffset(input: Record<string, unknown>): Record<string, unknown> {
  const { page, ...rest } = input;
  if (typeof rest.type === 'string') rest.type = typeFilter(rest.type);
  if (typeof rest.status === 'string') rest.status = statusFilterFromSeed(rest.status);
  if (typeof rest.order === 'string') {
    const descending = rest.order.startsWith('-');
    const field = descending ? rest.order.slice(1) : rest.order;
    if (field in orderAliases) rest.order = `${descending ? '-' : ''}${orderAliases[field]}`;
  }
  if (page === undefined) return rest;
  if (typeof page !== 'number' || page < 1) throw new BadRequest('page', `must be 1 or more, got ${String(page)}`);
  if (rest.offset !== undefined) throw new BadRequest('page', 'give page or offset, not both');
  const limit = typeof rest.limit === 'number' ? rest.limit : 100;
  return { ...rest, offset: (page - 1) * limit };
}

type JobVerb = 'cancel' | 'pause' | 'resume' | 'retry';

/** `POST /v1/jobs/<verb>` with `{ id }` (event-stream API), and the path form `/v1/jobs/:id/<verb>` (job-queue API). */
const jobAction = (verb: JobVerb, summary: string): CommandRoute[] => {
  const answer = { present: restJob, output: RestJobShape };
  return [
    { method: 'POST', url: `/v1/jobs/${verb}`, command: `jobs.${verb}`, summary, input: 'body', ...answer },
    {
      method: 'POST',
      url: `/v1/jobs/:id/${verb}`,
      command: `jobs.${verb}`,
      summary,
      input: 'none',
      params: ['id'],
      ...answer,
    },
  ];
};

function pluginRoute(method: Method, verb: string, command: CommandName, summary: string): CommandRoute {
  return {
    method,
    url: `/v1/plugins/:name/${verb}`,
    command,
    summary,
    input: method === 'GET' ? 'query' : 'body',
    params: ['name'],
  };
}

export const commandRoutes: readonly CommandRoute[] = [
  {
    method: 'GET',
    url: '/v1/jobs/queue',
    command: 'jobs.snapshot',
    summary: 'The download jobs held in the live list (event-stream API); plugin jobs come through the event stream.',
    input: 'none',
    present: (value: z.output<(typeof commands)['jobs.snapshot']['output']>) => ({ jobs: value.jobs }),
    output: z.object({ jobs: z.array(DownloadJob) }),
  },
  {
    method: 'POST',
    url: '/v1/jobs/download/submit',
    command: 'downloads.submit',
    summary: 'Submits one URL or several, one per line; each becomes a download job.',
    input: 'body',
  },
  ...jobAction('cancel', 'Cancels a job; its partial file is removed.'),
  ...jobAction('pause', 'Pauses a download; it resumes from its saved bytes.'),
  ...jobAction('resume', 'Queues a paused download again.'),
  ...jobAction('retry', 'Runs a failed or cancelled job again.'),
  { method: 'POST', url: '/v1/jobs/move', command: 'jobs.move', summary: 'Moves a queued download.', input: 'body' },
  {
    method: 'POST',
    url: '/v1/jobs/pauseAll',
    command: 'jobs.pauseAll',
    summary: 'Pauses every download.',
    input: 'body',
  },
  {
    method: 'POST',
    url: '/v1/jobs/resumeAll',
    command: 'jobs.resumeAll',
    summary: 'Resumes every paused download.',
    input: 'body',
  },
  {
    method: 'POST',
    url: '/v1/jobs/clearCompleted',
    command: 'jobs.clearCompleted',
    summary: 'Takes completed jobs out of the live list; their history stays.',
    input: 'body',
  },
  {
    method: 'GET',
    url: '/v1/jobs',
    command: 'jobs.list',
    summary: 'Lists jobs from history and the live list, filtered and paged (job-queue API).',
    input: 'query',
    query: { integers: ['limit', 'offset', 'page'] },
    adapt: pageToOffset,
    present: (value: z.output<(typeof commands)['jobs.list']['output']>) => ({
      jobs: value.jobs.map(restJob),
      total: value.total,
    }),
    output: z.object({ jobs: z.array(RestJobShape), total: z.number().int() }),
  },
  {
    method: 'DELETE',
    url: '/v1/jobs/cleanup',
    command: 'jobs.cleanup',
    summary: 'Deletes finished jobs older than `daysOld` days (job-queue API).',
    input: 'query',
    query: { integers: ['daysOld'] },
  },
  {
    method: 'GET',
    url: '/v1/jobs/queues',
    command: 'jobs.queues',
    summary:
      "Every queue and its job counts by status: the queues API keys (active, waiting, delayed, paused, completed, failed) beside Haul's own.",
    input: 'none',
    present: (value: z.output<(typeof commands)['jobs.queues']['output']>) => ({
      queues: value.queues.map((queue) => ({ name: queue.name, counts: queuesApiCounts(queue) })),
    }),
    output: z.object({ queues: z.array(z.object({ name: z.string(), counts: QueueCounts })) }),
  },
  {
    method: 'GET',
    url: '/v1/jobs/:id',
    command: 'jobs.get',
    summary: 'One job, with its log (the last 500 lines) in `log`.',
    input: 'none',
    params: ['id'],
    present: (value: z.output<(typeof commands)['jobs.get']['output']>) => ({ ...restJob(value.job), log: value.log }),
    output: RestJobShape.and(z.object({ log: z.array(z.string()) })),
  },
  {
    method: 'DELETE',
    url: '/v1/jobs/:id',
    command: 'jobs.remove',
    summary: 'Deletes a job (cancelling it first); `deleteFile=true` also deletes its file.',
    input: 'query',
    query: { booleans: ['deleteFile'] },
    params: ['id'],
  },
  {
    method: 'GET',
    url: '/v1/library',
    command: 'library.list',
    summary: 'Finished downloads as library resources, filtered and paged.',
    input: 'query',
    query: { integers: ['limit', 'offset'] },
  },
  {
    method: 'GET',
    url: '/v1/library/:id',
    command: 'library.get',
    summary: 'One library resource.',
    input: 'none',
    params: ['id'],
    query: { integers: ['id'] },
  },
  {
    method: 'DELETE',
    url: '/v1/library/:id',
    command: 'library.remove',
    summary: 'Removes a resource; `deleteFile=true` also deletes its file.',
    input: 'query',
    params: ['id'],
    query: { integers: ['id'], booleans: ['deleteFile'] },
  },
  { method: 'GET', url: '/v1/settings', command: 'settings.get', summary: 'The settings.', input: 'none' },
  {
    method: 'PATCH',
    url: '/v1/settings',
    command: 'settings.update',
    summary: 'Changes some settings; answers all of them.',
    input: 'body',
  },
  { method: 'GET', url: '/v1/info', command: 'app.info', summary: 'Version, folders and runtime.', input: 'none' },
  {
    method: 'POST',
    url: '/v1/jobs/action/run',
    command: 'actions.run',
    summary: 'Runs a plugin action (event-stream API): a sync action answers its result, an async one its plugin job.',
    input: 'body',
  },
  {
    method: 'GET',
    url: '/v1/actions',
    command: 'actions.list',
    summary: 'The plugin actions for an entity type, or for one resource (matched on its content type).',
    input: 'query',
    query: { integers: ['resourceId'] },
  },
  { method: 'GET', url: '/v1/plugins', command: 'plugins.list', summary: 'Installed plugins.', input: 'none' },
  {
    method: 'POST',
    url: '/v1/plugins/install',
    command: 'plugins.install',
    summary: 'Installs a plugin from a folder or a .zip on this machine.',
    input: 'body',
  },
  {
    method: 'POST',
    url: '/v1/plugins/reload',
    command: 'plugins.reload',
    summary: 'Reads one plugin (body `name`) or all from disk again.',
    input: 'body',
  },
  pluginRoute('POST', 'enable', 'plugins.enable', 'Enables a plugin.'),
  pluginRoute('POST', 'disable', 'plugins.disable', 'Disables a plugin.'),
  pluginRoute('PATCH', 'settings', 'plugins.updateSettings', "Changes a plugin's settings (body `values`)."),
  pluginRoute('GET', 'log', 'plugins.log', "A plugin's recent log lines."),
];
