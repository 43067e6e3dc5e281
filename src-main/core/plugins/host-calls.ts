import type { CommandOutput, ParsedInput, PluginPermission } from '../../../src-common/contract';
import { HaulError } from '../errors';
import type { FileAccess } from './file-access';
import { inTurn, pluginFetch } from './http-access';
import { hasPermission } from './manifest';
import type { PluginNotifications } from './notifications';
import type { PluginInstance } from './plugin-instance';
import type { PluginJobs } from './plugin-jobs';
import type { PluginTasks } from './plugin-tasks';
import type { PluginPaths } from './plugin-paths';
import { checkPluginSubmit } from './plugin-submit';
import type { PluginStorage } from './plugin-storage';

export interface HostServices {
  jobs: PluginJobs;
  /** haul.createJob and haul.jobs.*: the plugin's own tasks. */
  tasks: PluginTasks;
  files: FileAccess;
  /** The one check for every path a plugin names. */
  paths: PluginPaths;
  storage: PluginStorage;
  notifications: PluginNotifications;
  /** `allowedHosts`: the plugin's hosts, checked on every hop of these downloads. */
  submit(
    input: ParsedInput<'downloads.submit'>,
    limits: { allowedHosts: readonly string[] },
  ): CommandOutput<'downloads.submit'>;
}

function need(instance: PluginInstance, permission: PluginPermission, api: string): void {
  if (!instance.source.manifest || !hasPermission(instance.source.manifest, permission)) {
    throw new HaulError('forbidden', `${api} needs "${permission}" in the permissions of plugin.json`);
  }
}

function options(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/**
 * Answers one call from a plugin's sandbox. Every capability beyond log, settings and
 * jobs is checked against the manifest here, on the host, where the plugin cannot reach.
 */
export async function serveHostCall(
  services: HostServices,
  instance: PluginInstance,
  method: string,
  args: unknown[],
): Promise<unknown> {
  const [a, b, c, d] = args;
  const name = instance.name;
  switch (method) {
    case 'log':
      instance.log(a === 'warn' ? 'warn' : 'info', String(b));
      return null;
    case 'startJob':
      return services.jobs.startJob(instance, a, b);
    case 'job.progress':
      return services.jobs.progress(instance, a, b, c, d);
    case 'job.cancel':
      return services.tasks.cancel(instance, a);
    case 'tasks.create':
      return services.tasks.create(instance, a);
    case 'tasks.start':
      return services.tasks.start(instance, a);
    case 'tasks.progress':
      return services.tasks.progress(instance, a, b, c, d);
    case 'tasks.complete':
      return services.tasks.complete(instance, a, b);
    case 'tasks.fail':
      return services.tasks.fail(instance, a, b);
    case 'tasks.suspend':
      return services.tasks.suspend(instance, a, b);
    case 'tasks.get':
      return services.tasks.get(instance, a);
    case 'tasks.list':
      return services.tasks.list(instance);
    case 'tasks.cleanup':
      return services.tasks.cleanup(instance, a);
    case 'job.complete':
      return services.jobs.complete(instance, a, b);
    case 'job.fail':
      return services.jobs.fail(instance, a, b);
    case 'job.log':
      return services.jobs.log(instance, a, b);
    case 'http.fetch':
      need(instance, 'http', 'haul.http.fetch');
      // In turn with the plugin's other fetches, and no answer over half its memory: it
      // could not hold more, and the main process holds each answer whole meanwhile.
      return inTurn(instance, () =>
        pluginFetch(String(a), options(b), instance.source.manifest!.hosts, instance.memoryBytes / 2),
      );
    case 'files.read':
      need(instance, 'files', 'haul.files.read');
      return services.files.read(a, options(b));
    case 'files.hash': {
      need(instance, 'files', 'haul.files.hash');
      const jobId = options(c).jobId;
      let last = -1;
      return services.files.hash(a, b, (fraction) => {
        const percent = Math.floor(fraction * 100);
        if (percent === last) return;
        last = percent;
        services.jobs.hostProgress(instance, jobId, percent, `Hashing (${String(b)}): ${percent}%`);
      });
    }
    case 'files.move':
      need(instance, 'files', 'haul.files.move');
      return services.files.move(a, b, options(c));
    case 'downloads.submit': {
      need(instance, 'downloads', 'haul.downloads.submit');
      const input = await checkPluginSubmit(a, instance.source.manifest!.hosts, services.paths);
      const { jobs, invalid } = services.submit(input, { allowedHosts: instance.source.manifest!.hosts });
      return { jobs: jobs.map((job) => ({ id: job.id, url: job.url, status: job.status })), invalid };
    }
    case 'storage.get':
      need(instance, 'storage', 'haul.storage');
      return services.storage.get(name, String(a));
    case 'storage.set':
      need(instance, 'storage', 'haul.storage');
      services.storage.set(name, String(a), b);
      return null;
    case 'storage.delete':
      need(instance, 'storage', 'haul.storage');
      services.storage.delete(name, String(a));
      return null;
    case 'storage.keys':
      need(instance, 'storage', 'haul.storage');
      return services.storage.keys(name);
    case 'notify':
      need(instance, 'notify', 'haul.notify');
      return services.notifications.add(name, a).id;
    default:
      throw new HaulError('not_found', `unknown host call ${method}`);
  }
}
