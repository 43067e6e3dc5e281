/**
 * The one declaration of every command, event and shape that crosses a process or
 * network boundary. Main's handlers, the preload bridge, the HTTP routes and the
 * renderer's client all derive their types from this file; nothing is declared twice.
 */
import { z } from 'zod';

/** The closed list of error kinds. Every error that leaves the core carries one. */
export const errorKinds = [
  'invalid_input',
  'not_found',
  'conflict',
  'unauthorized',
  'forbidden',
  'unavailable',
  'internal',
] as const;
export type ErrorKind = (typeof errorKinds)[number];

export const ErrorShape = z.object({
  kind: z.enum(errorKinds),
  message: z.string(),
});
export type ErrorShape = z.infer<typeof ErrorShape>;

/** What every command answers, over IPC and HTTP alike. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  dataDir: z.string(),
  downloadDir: z.string(),
  platform: z.string(),
  /** `electron` inside the desktop app, `headless` under `haul serve`. */
  runtime: z.enum(['electron', 'headless']),
  schemaVersion: z.number().int(),
  /** Things the user must be told at start, e.g. a damaged database that was replaced. */
  notices: z.array(z.string()),
});
export type AppInfo = z.infer<typeof AppInfo>;

const NoInput = z.object({}).strict();

// ---------------------------------------------------------------------------------------
// Jobs (seed 000: two sources, one model, one event stream)

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
export const jobStatuses = [...new Set([...downloadStatuses, ...pluginStatuses])] as [JobStatus, ...JobStatus[]];
export type DownloadStatus = (typeof downloadStatuses)[number];
export type PluginStatus = (typeof pluginStatuses)[number];
export type JobStatus = DownloadStatus | PluginStatus;
export const finishedStatuses: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

/** Why a job failed. `transient` ones are retried automatically with backoff. */
export const jobErrorKinds = [
  'network',
  'http',
  'timeout',
  'stalled',
  'disk',
  'checksum',
  'invalid_input',
  'interrupted',
  'plugin',
  'internal',
] as const;
export const JobError = z.object({
  kind: z.enum(jobErrorKinds),
  message: z.string(),
  /** HTTP status, when the failure was an answer from the server. */
  status: z.number().int().optional(),
});
export type JobError = z.infer<typeof JobError>;

const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid header name');
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

export const Checksum = z.object({
  algorithm: z.enum(['sha256', 'sha1', 'md5']),
  value: z.string().regex(/^[0-9a-fA-F]+$/, 'must be hexadecimal'),
});
export type Checksum = z.infer<typeof Checksum>;

/** What a user can set per download. Stored with the job. */
export const DownloadOptions = z.object({
  dir: z.string().min(1).optional(),
  fileName: z.string().min(1).max(255).optional(),
  connections: z.number().int().min(1).max(16).optional(),
  checksum: Checksum.optional(),
  headers: z
    .record(headerName, z.string().max(8192))
    .refine((h) => Object.keys(h).every((name) => !forbiddenHeaders.includes(name.toLowerCase())), {
      message: `connection-level headers are not allowed (${forbiddenHeaders.join(', ')})`,
    })
    .optional(),
  /** Bytes per second; 0 or absent: unlimited. */
  speedLimit: z.number().int().min(0).optional(),
});
export type DownloadOptions = z.infer<typeof DownloadOptions>;

const JobCommon = {
  id: z.string(),
  progress: z.number().min(0).max(100),
  message: z.string(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  updatedAt: z.number(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  error: JobError.nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  idempotencyKey: z.string().nullable(),
};

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
  options: DownloadOptions,
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
});
export type PluginJob = z.infer<typeof PluginJob>;

export type Job = DownloadJob | PluginJob;
export const Job = z.discriminatedUnion('source', [DownloadJob, PluginJob]);

export const JobWithLog = z.object({ job: Job, log: z.array(z.string()) });

export const Snapshot = z.object({ jobs: z.array(DownloadJob), actionJobs: z.array(PluginJob) });
export type Snapshot = z.infer<typeof Snapshot>;

/** SSE event names, exactly as seed 000. */
export const jobEventNames = [
  'init',
  'added',
  'updated',
  'removed',
  'action_added',
  'action_updated',
  'action_removed',
] as const;
export type JobEventName = (typeof jobEventNames)[number];
export type JobEvent =
  | { event: 'init'; data: Snapshot }
  | { event: 'added' | 'updated' | 'removed'; data: { type: 'added' | 'updated' | 'removed'; job: DownloadJob } }
  | {
      event: 'action_added' | 'action_updated' | 'action_removed';
      data: { type: 'added' | 'updated' | 'removed'; job: PluginJob };
    };

const JobId = z.object({ id: z.string().regex(/^[0-9a-f]{8}([0-9a-f]{8})?$/, 'not a job id') }).strict();

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
  /** Lines that are not http(s) URLs, by 1-based line number; the valid ones still went. */
  invalid: z.array(z.object({ line: z.number().int(), text: z.string(), message: z.string() })),
});

const timeFields = ['createdAt', 'updatedAt', 'startedAt', 'finishedAt'] as const;
export const ListInput = z
  .object({
    /** One status or several, comma-separated. */
    status: z.string().optional(),
    source: z.enum(['download', 'plugin']).optional(),
    /** The plugin job's action, or `download`. */
    type: z.string().optional(),
    text: z.string().max(500).optional(),
    /** A time field, `-` first for newest first. @default '-createdAt' */
    order: z.enum([...timeFields, ...timeFields.map((f) => `-${f}` as const)]).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    offset: z.number().int().min(0).optional(),
  })
  .strict();
export type ListInput = z.input<typeof ListInput>;

export const queueNames = ['download', 'plugin'] as const;
export const QueueCounts = z.record(z.string(), z.number().int());
export const QueueOverview = z.object({ name: z.enum(queueNames), counts: QueueCounts });

export const Settings = z.object({
  /** Where downloads go when a job names no folder; null: the system's Downloads folder. */
  downloadDir: z.string().min(1).nullable(),
  /** @default 3 */
  maxConcurrentDownloads: z.number().int().min(1).max(20),
  /** Connections per download when the job does not say. @default 8 */
  connectionsPerDownload: z.number().int().min(1).max(16),
  /** Bytes per second for all downloads together; 0: unlimited. @default 0 */
  speedLimit: z.number().int().min(0),
  /** @default 3 */
  maxConcurrentPluginJobs: z.number().int().min(1).max(20),
  /** History older than this is deleted. @default 30 */
  jobExpiryDays: z.number().int().min(1).max(3650),
  /** @default 5 */
  defaultMaxAttempts: z.number().int().min(1).max(100),
  /** Desktop notifications when downloads and plugin jobs end. @default true */
  notifications: z.boolean(),
  theme: z.enum(['system', 'light', 'dark']),
  /** Desktop app: closing the window keeps Haul running in the tray. @default false */
  closeToTray: z.boolean(),
  /** Desktop app: offer http(s) URLs copied to the clipboard. @default false */
  watchClipboard: z.boolean(),
  /** Desktop app: run the local API too. `haul serve` always runs it. @default true */
  apiEnabled: z.boolean(),
  /** @default 8181 */
  apiPort: z.number().int().min(1).max(65535),
  /** Origins besides Haul's own that may call the local API (e.g. a browser extension). */
  allowedOrigins: z.array(z.string().url()),
});
export type Settings = z.infer<typeof Settings>;

// ---------------------------------------------------------------------------------------
// Library: finished files

export const Resource = z.object({
  id: z.number().int(),
  /** The download that produced it, while that job's history exists. */
  jobId: z.string().nullable(),
  path: z.string(),
  name: z.string(),
  size: z.number(),
  contentType: z.string().nullable(),
  sha256: z.string().nullable(),
  sourceUrl: z.string().nullable(),
  createdAt: z.number(),
});
export type Resource = z.infer<typeof Resource>;

export const LibraryListInput = z
  .object({
    text: z.string().max(500).optional(),
    /** A MIME type or its first part, e.g. `video/` or `application/pdf`. */
    contentType: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    offset: z.number().int().min(0).optional(),
  })
  .strict();

const ResourceId = z.object({ id: z.number().int().positive() }).strict();

// ---------------------------------------------------------------------------------------
// Plugins (issue 5): sandboxed plugins, their settings, actions and notifications

export const pluginPermissions = ['http', 'files', 'downloads', 'storage', 'notify'] as const;
export type PluginPermission = (typeof pluginPermissions)[number];

const settingKey = z.string().regex(/^[A-Za-z][\w.-]{0,63}$/, 'letters, digits, _ . - and a letter first');
const settingCommon = {
  key: settingKey,
  label: z.string().min(1).max(100),
  description: z.string().max(1000).optional(),
};
/** One entry of a plugin's settings schema, declared in its plugin.json. */
export const PluginSettingSpec = z.discriminatedUnion('type', [
  z
    .object({
      ...settingCommon,
      type: z.literal('string'),
      default: z.string().max(100_000),
      /** Shown as a multi-line text box. */
      multiline: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      ...settingCommon,
      type: z.literal('number'),
      default: z.number(),
      min: z.number().optional(),
      max: z.number().optional(),
      step: z.number().positive().optional(),
    })
    .strict(),
  z.object({ ...settingCommon, type: z.literal('boolean'), default: z.boolean() }).strict(),
  z
    .object({
      ...settingCommon,
      type: z.literal('select'),
      default: z.string(),
      options: z
        .array(z.object({ value: z.string(), label: z.string() }).strict())
        .min(1)
        .max(200),
    })
    .strict(),
]);
export type PluginSettingSpec = z.infer<typeof PluginSettingSpec>;
export const PluginSettingValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
export type PluginSettingValues = z.infer<typeof PluginSettingValues>;

export const pluginStates = ['starting', 'active', 'disabled', 'error'] as const;
export const PluginInfo = z.object({
  name: z.string(),
  version: z.string(),
  description: z.string(),
  author: z.string(),
  /** Shipped with Haul (resources/plugins) rather than installed by the user. */
  bundled: z.boolean(),
  enabled: z.boolean(),
  state: z.enum(pluginStates),
  /** Why it is not running: a bad manifest, a failed activate, repeated crashes. */
  error: z.string().nullable(),
  permissions: z.array(z.enum(pluginPermissions)),
  hosts: z.array(z.string()),
  settingsSchema: z.array(PluginSettingSpec),
  settings: PluginSettingValues,
  path: z.string(),
});
export type PluginInfo = z.infer<typeof PluginInfo>;

export const actionParamTypes = ['text', 'textarea', 'number', 'select', 'boolean'] as const;
export const ActionParam = z
  .object({
    name: z.string().regex(/^[A-Za-z][\w-]{0,63}$/, 'letters, digits, _ - and a letter first'),
    label: z.string().min(1).max(100),
    type: z.enum(actionParamTypes),
    description: z.string().max(1000).optional(),
    required: z.boolean().optional(),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    placeholder: z.string().max(200).optional(),
    /** select only. */
    options: z
      .array(z.object({ value: z.string(), label: z.string() }).strict())
      .max(200)
      .optional(),
    /** number only. */
    min: z.number().optional(),
    max: z.number().optional(),
    step: z.number().positive().optional(),
  })
  .strict();
export type ActionParam = z.infer<typeof ActionParam>;

/** An action a plugin offers, as the UI lists it. */
export const PluginAction = z.object({
  pluginName: z.string(),
  id: z.string(),
  label: z.string(),
  entity: z.enum(['resource', 'custom']),
  description: z.string(),
  icon: z.string().nullable(),
  /** MIME types or prefixes (`video/`, `video/*`) it applies to; empty: every resource. */
  contentTypes: z.array(z.string()),
  params: z.array(ActionParam),
  /** Runs as a plugin job with progress instead of answering at once. */
  async: z.boolean(),
  /** A question the UI asks before running it. */
  confirm: z.string().nullable(),
  /** How many selected items the UI may run it on at once (one call each). */
  bulkMax: z.number().int().min(1),
});
export type PluginAction = z.infer<typeof PluginAction>;

export const ActionResult = z.object({
  success: z.boolean(),
  message: z.string(),
  data: z.unknown(),
});
export type ActionResult = z.infer<typeof ActionResult>;

export const PluginNotification = z.object({
  id: z.number().int(),
  pluginName: z.string(),
  title: z.string(),
  body: z.string(),
  level: z.enum(['info', 'success', 'warning', 'error']),
  at: z.number(),
});
export type PluginNotification = z.infer<typeof PluginNotification>;

const PluginName = z.object({ name: z.string().min(1).max(64) }).strict();
const PluginCommands = {
  'plugins.list': { input: NoInput, output: z.object({ plugins: z.array(PluginInfo) }) },
  'plugins.enable': { input: PluginName, output: PluginInfo },
  'plugins.disable': { input: PluginName, output: PluginInfo },
  'plugins.updateSettings': {
    input: PluginName.extend({ values: PluginSettingValues }).strict(),
    output: PluginInfo,
  },
  /** A plugin folder, or a .zip holding one; replaces an installed user plugin of the same name. */
  'plugins.install': { input: z.object({ path: z.string().min(1).max(4096) }).strict(), output: PluginInfo },
  /** Reads one plugin (or every plugin) from disk again and restarts it; no app restart. */
  'plugins.reload': {
    input: z.object({ name: z.string().min(1).max(64).optional() }).strict(),
    output: z.object({ plugins: z.array(PluginInfo) }),
  },
  'plugins.log': { input: PluginName, output: z.object({ lines: z.array(z.string()) }) },
  'plugins.notifications': {
    input: z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(),
    output: z.object({ notifications: z.array(PluginNotification) }),
  },
  'actions.list': {
    input: z
      .object({ entityType: z.enum(['resource', 'custom']), resourceId: z.number().int().positive().optional() })
      .strict(),
    output: z.object({ actions: z.array(PluginAction) }),
  },
  /** A sync action answers with its result; an async one with the plugin job it queued. */
  'actions.run': {
    input: z
      .object({
        pluginName: z.string().min(1).max(64),
        actionId: z.string().min(1).max(100),
        resourceId: z.number().int().positive().optional(),
        params: z.record(z.string(), z.unknown()).optional(),
      })
      .strict(),
    output: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('result'), result: ActionResult }),
      z.object({ kind: z.literal('job'), job: PluginJob }),
    ]),
  },
} as const;

/**
 * Every command: its input schema (parsed at the boundary) and its output schema
 * (documentation, the OpenAPI description and tests).
 */
export const commands = {
  'app.info': { input: NoInput, output: AppInfo },
  'downloads.submit': { input: SubmitInput, output: SubmitOutput },
  'jobs.snapshot': { input: NoInput, output: Snapshot },
  'jobs.list': { input: ListInput, output: z.object({ jobs: z.array(Job), total: z.number().int() }) },
  'jobs.get': { input: JobId, output: JobWithLog },
  'jobs.cancel': { input: JobId, output: Job },
  'jobs.pause': { input: JobId, output: Job },
  'jobs.resume': { input: JobId, output: Job },
  'jobs.retry': { input: JobId, output: Job },
  'jobs.remove': {
    input: JobId.extend({ deleteFile: z.boolean().optional() }).strict(),
    output: z.object({ removed: z.literal(true) }),
  },
  'jobs.move': {
    input: JobId.extend({ to: z.enum(['top', 'up', 'down', 'bottom']) }).strict(),
    output: z.object({ order: z.array(z.string()) }),
  },
  'jobs.setSpeedLimit': {
    input: JobId.extend({ speedLimit: z.number().int().min(0) }).strict(),
    output: Job,
  },
  'jobs.pauseAll': { input: NoInput, output: z.object({ count: z.number().int() }) },
  'jobs.resumeAll': { input: NoInput, output: z.object({ count: z.number().int() }) },
  'jobs.clearCompleted': { input: NoInput, output: z.object({ removed: z.number().int() }) },
  'jobs.cleanup': {
    input: z.object({ daysOld: z.number().int().min(0) }).strict(),
    output: z.object({ removed: z.number().int() }),
  },
  'jobs.queues': { input: NoInput, output: z.object({ queues: z.array(QueueOverview) }) },
  'library.list': {
    input: LibraryListInput,
    output: z.object({ resources: z.array(Resource), total: z.number().int() }),
  },
  'library.get': { input: ResourceId, output: Resource },
  /** Desktop app only: opens the file (programs need a confirmation first). */
  'library.open': { input: ResourceId, output: z.object({ opened: z.boolean() }) },
  /** Desktop app only: shows the file in the system's file manager. */
  'library.reveal': { input: ResourceId, output: z.object({ revealed: z.literal(true) }) },
  'library.remove': {
    input: ResourceId.extend({ deleteFile: z.boolean().optional() }).strict(),
    output: z.object({ removed: z.literal(true) }),
  },
  /** The local API's token, to show in Settings and paste into a script or extension. */
  'api.token': { input: NoInput, output: z.object({ token: z.string() }) },
  /** A new token; the old one stops working at once. */
  'api.regenerateToken': { input: NoInput, output: z.object({ token: z.string() }) },
  'settings.get': { input: NoInput, output: Settings },
  'settings.update': { input: Settings.partial().strict(), output: Settings },
  ...PluginCommands,
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandInput<C extends CommandName> = z.input<Commands[C]['input']>;
export type ParsedInput<C extends CommandName> = z.output<Commands[C]['input']>;
export type CommandOutput<C extends CommandName> = z.output<Commands[C]['output']>;

export const commandNames = Object.keys(commands) as CommandName[];

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commands, name);
}

/** What the renderer sees as `window.haul`, whichever transport is behind it. */
export interface HaulBridge {
  invoke<C extends CommandName>(command: C, input: CommandInput<C>): Promise<Envelope<CommandOutput<C>>>;
  /** Subscribes to the job event stream; `init` comes first. Returns the unsubscribe. */
  onJobEvent?(listener: (event: JobEvent) => void): () => void;
  /** Desktop app: main asks the page to show something (a notification was clicked). */
  onShowRequest?(listener: (request: ShowRequest) => void): () => void;
}

/** The IPC channel the preload and the shell share. Not exposed to the page. */
export const invokeChannel = 'haul:invoke';

/** main -> page: show a job's details (a clicked notification). */
export const showChannel = 'haul:show';
export type ShowRequest = { kind: 'job'; id: string };
