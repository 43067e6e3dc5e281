/**
 * Every command that crosses a process or network boundary: its input schema (parsed at
 * the boundary) and its output schema. Handler and client types are derived from here.
 */
import { z } from 'zod';
import { AppInfo, Settings } from './settings';
import { Job, JobId, JobWithLog, ListInput, QueueOverview, Snapshot, SubmitInput, SubmitOutput } from './jobs';
import { LibraryListInput, Resource, ResourceId } from './library';
import { DownloadListInput, DownloadListOutput } from './download-list';
import { ActionResult, PluginAction, PluginInfo, PluginNotification, PluginSettingValues } from './plugins';
import { PluginJob } from './jobs';
import { JobTypesOutput } from './job-types';
import { ErrorShape } from './errors';
import { taskCommands } from './tasks';

export const NoInput = z.object({}).strict();

const PluginName = z.object({ name: z.string().min(1).max(64) }).strict();
const PluginCommands = {
  'plugins.list': { input: NoInput, output: z.object({ plugins: z.array(PluginInfo) }) },
  'plugins.enable': { input: PluginName, output: PluginInfo },
  'plugins.disable': { input: PluginName, output: PluginInfo },
  'plugins.updateSettings': {
    input: PluginName.extend({ values: PluginSettingValues }).strict(),
    output: PluginInfo,
  },
  /**
   * Installs a plugin folder or .zip. One with an installed plugin's name is refused
   * (`conflict`, field `replace`) until asked again with `replace`: it would take that
   * plugin's settings and stored data.
   */
  'plugins.install': {
    input: z.object({ path: z.string().min(1).max(4096), replace: z.boolean().optional() }).strict(),
    output: PluginInfo,
  },
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
        /**
         * For an action that queues a job: a second run with the same key answers the first
         * job. A sync action answers at once and makes no job, so there is nothing to repeat.
         */
        idempotencyKey: z.string().min(1).max(200).optional(),
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
  /** The Downloads table's page: live and finished downloads filtered, searched and sorted together. */
  'downloads.list': { input: DownloadListInput, output: DownloadListOutput },
  'jobs.snapshot': { input: NoInput, output: Snapshot },
  'jobs.list': { input: ListInput, output: z.object({ jobs: z.array(Job), total: z.number().int() }) },
  'jobs.get': { input: JobId, output: JobWithLog },
  /** The logs of several jobs at once (the last 500 lines each); an id Haul does not know has none. */
  'jobs.logs': {
    input: z.object({ ids: z.array(z.string().max(100)).min(1).max(1000) }).strict(),
    output: z.object({ logs: z.record(z.string(), z.array(z.string())) }),
  },
  'jobs.cancel': { input: JobId, output: Job },
  'jobs.pause': { input: JobId, output: Job },
  'jobs.resume': { input: JobId, output: Job },
  'jobs.retry': { input: JobId, output: Job },
  /**
   * With `deleteFile`, the finished download's file goes too, while it still is that file:
   * `fileKept` says why one was left (another size now, a link, a delete the system refused).
   */
  'jobs.remove': {
    input: JobId.extend({ deleteFile: z.boolean().optional() }).strict(),
    output: z.object({ removed: z.literal(true), fileKept: z.string().optional() }),
  },
  /**
   * One of those commands for each of up to 1000 jobs (a selection in the UI), in order:
   * what was refused, with why; the rest was done.
   */
  'jobs.each': {
    input: z
      .object({
        command: z.enum(['jobs.pause', 'jobs.resume', 'jobs.retry', 'jobs.cancel', 'jobs.remove']),
        ids: z.array(JobId.shape.id).min(1).max(1000),
        /** For jobs.remove. */
        deleteFile: z.boolean().optional(),
      })
      .strict(),
    output: z.object({
      refused: z.array(z.object({ id: z.string(), error: ErrorShape })),
      /** jobs.remove with deleteFile: removed jobs whose file was left, with why (see jobs.remove). */
      kept: z.array(z.object({ id: z.string(), message: z.string() })).optional(),
    }),
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
  /** The kinds of job Haul runs (downloads, each plugin action, generic types seen) and their groups. */
  'jobs.types': { input: NoInput, output: JobTypesOutput },
  'library.list': {
    input: LibraryListInput,
    output: z.object({ resources: z.array(Resource), total: z.number().int() }),
  },
  'library.get': { input: ResourceId, output: Resource },
  /** Desktop app only: opens the file (programs need a confirmation first). */
  'library.open': { input: ResourceId, output: z.object({ opened: z.boolean() }) },
  /** Desktop app only: shows the file in the system's file manager. */
  'library.reveal': { input: ResourceId, output: z.object({ revealed: z.literal(true) }) },
  /** `fileKept`: as jobs.remove's. */
  'library.remove': {
    input: ResourceId.extend({ deleteFile: z.boolean().optional() }).strict(),
    output: z.object({ removed: z.literal(true), fileKept: z.string().optional() }),
  },
  /** The local API's token, to show in Settings and paste into a script or extension. */
  'api.token': { input: NoInput, output: z.object({ token: z.string() }) },
  /** A new token; the old one stops working at once. */
  'api.regenerateToken': { input: NoInput, output: z.object({ token: z.string() }) },
  'settings.get': { input: NoInput, output: Settings },
  'settings.update': { input: Settings.partial().strict(), output: Settings },
  ...PluginCommands,
  ...taskCommands,
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
