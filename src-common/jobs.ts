/** Jobs: three sources (downloads, plugin jobs, tasks), one model, one event stream. */
import { z } from 'zod';
import { LineProblem } from './errors';
import { JobCommon } from './job-base';
import { unsafeNameChars } from './names';
import { TaskJob, taskStatuses, type TaskStatus } from './tasks';

// ---------------------------------------------------------------------------------------
// Jobs (the event-stream API: two sources, one model, one event stream)

export const downloadStatuses = [
  'pending',
  'downloading',
  'processing',
  'completed',
  'failed',
  'cancelled',
  'paused',
] as const;
export const pluginStatuses = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export type DownloadStatus = (typeof downloadStatuses)[number];
export type PluginStatus = (typeof pluginStatuses)[number];
export type JobStatus = DownloadStatus | PluginStatus | TaskStatus;
export { taskStatuses, type TaskStatus };
/** The statuses a job ends in; the one list every layer uses (`timeout`: tasks only). */
export const finishedStatuses = ['completed', 'failed', 'cancelled', 'timeout'] as const satisfies readonly JobStatus[];
export type FinishedStatus = (typeof finishedStatuses)[number];
export function isFinishedStatus(status: JobStatus): status is FinishedStatus {
  return (finishedStatuses as readonly JobStatus[]).includes(status);
}

export { CertificateDetails, JobError, jobErrorKinds } from './job-base';

const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid header name');
/**
 * Headers that carry a user's credentials for one site (given with the address they
 * were given for): never sent to another origin, nor in clear text after https.
 */
export const credentialHeaders = ['authorization', 'cookie', 'proxy-authorization'];
/** Headers that belong to the connection, not the request; refused at submit. */
export const forbiddenHeaders = [
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'te',
  'upgrade',
  'keep-alive',
  'proxy-connection',
  'trailer',
  'range',
  'if-range',
  'accept-encoding',
];

/** POSIX `/…`, Windows `C:\…` or `\\server\share`: a folder never depends on the working folder. */
const absolutePath = /^(\/|[A-Za-z]:[\\/]|\\\\)/u;
/** A folder to download into: absolute, without NUL (which no file system takes). */
export const FolderPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((dir) => !dir.includes('\0'), 'must not contain a NUL character')
  .refine((dir) => absolutePath.test(dir), 'must be an absolute path (a relative one would depend on where Haul runs)');

/** A file name as given: shown as is from the moment the job exists, so nothing hidden in it. */
const FileNameInput = z
  .string()
  .min(1)
  .max(255)
  .refine((name) => !unsafeNameChars.test(name), 'must not contain control or text-direction characters');

/** A header value goes on the wire as given: CR or LF would split it, NUL is refused by HTTP. */
const HeaderValue = z
  .string()
  .max(8192)
  .refine((value) => !/[\r\n\0]/u.test(value), 'must not contain CR, LF or NUL');

/** Hexadecimal characters of each algorithm's digest. */
const digestLength = { sha256: 64, sha1: 40, md5: 32 } as const;
const digestName = { sha256: 'SHA-256', sha1: 'SHA-1', md5: 'MD5' } as const;

/** Why `value` cannot be a digest of `algorithm` (a digit short, a letter past f), or undefined. */
export function digestProblem(algorithm: keyof typeof digestLength, value: string): string | undefined {
  if (!/^[0-9a-fA-F]+$/.test(value)) return 'must be hexadecimal';
  const length = digestLength[algorithm];
  if (value.length !== length) {
    return `a ${digestName[algorithm]} digest is ${length} hexadecimal characters, not ${value.length}`;
  }
  return undefined;
}

/** A digest as stored with a job; older rows may hold one Checksum would refuse now. */
const ChecksumShape = z.object({ algorithm: z.enum(['sha256', 'sha1', 'md5']), value: z.string() });

/** A digest the file must have: refused at once when it could never match. */
export const Checksum = ChecksumShape.superRefine(({ algorithm, value }, ctx) => {
  const problem = digestProblem(algorithm, value);
  if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
});
export type Checksum = z.infer<typeof Checksum>;

/** What a user can set per download. Stored with the job. */
export const DownloadOptions = z.object({
  dir: FolderPath.optional(),
  fileName: FileNameInput.optional(),
  connections: z.number().int().min(1).max(16).optional(),
  checksum: Checksum.optional(),
  headers: z
    .record(headerName, HeaderValue)
    .refine((h) => Object.keys(h).every((name) => !forbiddenHeaders.includes(name.toLowerCase())), {
      message: `connection-level headers are not allowed (${forbiddenHeaders.join(', ')})`,
    })
    .optional(),
  /** Bytes per second; 0 or absent: unlimited. */
  speedLimit: z.number().int().min(0).optional(),
});
export type DownloadOptions = z.infer<typeof DownloadOptions>;

/** DownloadOptions without the checks made at the door, for reading older job rows. */
const StoredDownloadOptions = DownloadOptions.extend({
  dir: z.string().min(1).optional(),
  fileName: z.string().min(1).max(255).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  checksum: ChecksumShape.optional(),
  /**
   * Set by Haul for a download a plugin added: the plugin.json `hosts` every hop (each
   * redirect too) must be on. Never taken from a submit.
   */
  allowedHosts: z.array(z.string()).optional(),
});

export const DownloadJob = z.object({
  ...JobCommon,
  source: z.literal('download'),
  status: z.enum(downloadStatuses),
  url: z.string(),
  finalUrl: z.string().nullable(),
  fileName: z.string().nullable(),
  dir: z.string(),
  totalBytes: z.number().nullable(),
  receivedBytes: z.number(),
  /** Bytes per second, while downloading. */
  speed: z.number(),
  /** Seconds left, when known. */
  eta: z.number().nullable(),
  connections: z.number().int(),
  resourceId: z.number().int().nullable(),
  priority: z.number().int(),
  /** Place in the download queue, after priority: smaller starts first (`jobs.move` changes it). */
  position: z.number().int(),
  /** As stored: rows written before a check was added still read (the engine refuses them later). */
  options: StoredDownloadOptions,
});
export type DownloadJob = z.infer<typeof DownloadJob>;

export const PluginJob = z.object({
  ...JobCommon,
  source: z.literal('plugin'),
  status: z.enum(pluginStatuses),
  pluginName: z.string(),
  actionId: z.string(),
  label: z.string(),
  entityType: z.enum(['resource', 'custom']),
  entityId: z.number().int().nullable(),
  params: z.record(z.string(), z.unknown()),
  /** Details the plugin reported with haul.job.progress, merged (absent until it reports any). */
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type PluginJob = z.infer<typeof PluginJob>;

export type Job = DownloadJob | PluginJob | TaskJob;
export const Job = z.discriminatedUnion('source', [DownloadJob, PluginJob, TaskJob]);
export const jobSources = ['download', 'plugin', 'task'] as const;

export const JobWithLog = z.object({ job: Job, log: z.array(z.string()) });

export const Snapshot = z.object({
  jobs: z.array(DownloadJob),
  actionJobs: z.array(PluginJob),
  /** Tasks (scripts' and plugins' own jobs): a third list, so clients of the first two see what they expect. */
  tasks: z.array(TaskJob),
});
export type Snapshot = z.infer<typeof Snapshot>;

/** SSE event names, exactly as the event-stream API names them. */
export const jobEventNames = [
  'init',
  'added',
  'updated',
  'removed',
  'action_added',
  'action_updated',
  'action_removed',
  'task_added',
  'task_updated',
  'task_removed',
] as const;
export type JobEventName = (typeof jobEventNames)[number];
export type JobEvent =
  | { event: 'init'; data: Snapshot }
  | { event: 'added' | 'updated' | 'removed'; data: { type: 'added' | 'updated' | 'removed'; job: DownloadJob } }
  | {
      event: 'action_added' | 'action_updated' | 'action_removed';
      data: { type: 'added' | 'updated' | 'removed'; job: PluginJob };
    }
  | {
      event: 'task_added' | 'task_updated' | 'task_removed';
      data: { type: 'added' | 'updated' | 'removed'; job: TaskJob };
    };

export const JobId = z.object({ id: z.string().regex(/^[0-9a-f]{8}([0-9a-f]{8})?$/, 'not a job id') }).strict();

export const SubmitInput = DownloadOptions.extend({
  /** One URL, or several separated by newlines; each becomes a job. */
  url: z.string().min(1).max(1_000_000),
  maxAttempts: z.number().int().min(1).max(100).optional(),
  paused: z.boolean().optional(),
  /** A second submit with the same key returns the first job. */
  idempotencyKey: z.string().min(1).max(200).optional(),
  /** Submit even when an active job already fetches the same URL. */
  force: z.boolean().optional(),
  priority: z.number().int().min(-100).max(100).optional(),
}).strict();
export type SubmitInput = z.input<typeof SubmitInput>;

export const SubmitOutput = z.object({
  jobs: z.array(DownloadJob),
  /**
   * Lines refused, by 1-based line number: not http(s) URLs, or (`duplicate`) URLs already
   * in the list. The others still went.
   */
  invalid: z.array(LineProblem),
});

const knownStatuses = [...new Set<string>([...downloadStatuses, ...pluginStatuses, ...taskStatuses])];
/** The names in a comma-separated status list that are no job status. */
function unknownStatuses(list: string): string[] {
  return list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '' && !knownStatuses.includes(name));
}

const timeFields = ['createdAt', 'updatedAt', 'startedAt', 'finishedAt'] as const;
export const ListInput = z
  .object({
    /** One status or several, comma-separated; an unknown name is refused, naming it. */
    status: z
      .string()
      .refine((value) => unknownStatuses(value).length === 0, {
        error: (issue) =>
          `unknown status ${unknownStatuses(String(issue.input)).join(', ')} (known: ${knownStatuses.join(', ')})`,
      })
      .optional(),
    source: z.enum(jobSources).optional(),
    /** A task's creator (the job-queue API's `source`) or a plugin job's plugin. */
    creator: z.string().min(1).max(100).optional(),
    /** The plugin job's action, a task's type, or `download`. */
    type: z.string().optional(),
    text: z.string().max(500).optional(),
    /** A time field, `-` first for newest first. @default '-createdAt' */
    order: z.enum([...timeFields, ...timeFields.map((f) => `-${f}` as const)]).optional(),
    /** @default 100 */
    limit: z.number().int().min(1).max(1000).optional(),
    offset: z.number().int().min(0).optional(),
  })
  .strict();
export type ListInput = z.input<typeof ListInput>;

/** One queue per job source: downloads and plugin jobs run in Haul's slots, tasks in their creators. */
export const queueNames = ['download', 'plugin', 'task'] as const;
export const QueueCounts = z.record(z.string(), z.number().int());
export const QueueOverview = z.object({
  name: z.enum(queueNames),
  /** Jobs per status (every status of the queue, 0 included). */
  counts: QueueCounts,
  /** Of the pending ones, those waiting out a retry's backoff (the queues API's `delayed`). */
  retrying: z.number().int(),
});
export type QueueOverview = z.infer<typeof QueueOverview>;
