import type { PluginJob } from '../../../src-common/contract';
import type { Clock } from '../clock';
import type { JobRegistry } from './registry';
import { JobFailure, type PluginJobRunner, type StopReason } from './runner';
import { mergeMetadata } from './task-center';

export type PluginStop = StopReason | 'timeout';

export interface PluginAttemptOptions {
  registry: JobRegistry;
  clock: Clock;
  pluginRunner: PluginJobRunner;
  timeoutMs: number;
}

/** How an attempt ended: its result, a failure to settle, or a stop (pause, cancel, quit) that settles nothing. */
export type PluginAttemptEnd =
  | { ended: 'done'; result: Record<string, unknown> | void }
  | { ended: 'failed'; failure: JobFailure }
  | { ended: 'stopped' };

/**
 * One attempt of a plugin job: the plugin's run, raced against a stop and the deadline,
 * its progress and log on the job. Never rejects.
 */
export function runPluginAttempt(
  options: PluginAttemptOptions,
  job: PluginJob,
  controller: AbortController,
): Promise<PluginAttemptEnd> {
  const { registry, clock, pluginRunner, timeoutMs } = options;
  const id = job.id;
  const timer = clock.setTimeout(() => controller.abort('timeout' satisfies PluginStop), timeoutMs);
  const stopped = new Promise<never>((_, reject) =>
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }),
  );
  stopped.catch(() => undefined);
  const run = pluginRunner.run({
    job,
    signal: controller.signal,
    progress: (percent, message, metadata) => {
      if (controller.signal.aborted) return;
      const clamped = Math.max(0, Math.min(100, Number.isFinite(percent) ? percent : 0));
      const current = registry.get(id) as PluginJob;
      registry.update(id, {
        progress: clamped,
        ...(message !== undefined ? { message } : {}),
        ...(metadata ? { metadata: mergeMetadata(current.metadata ?? {}, metadata) } : {}),
      });
    },
    log: (line) => registry.log(id, line),
  });
  return Promise.race([run, stopped])
    .then((result): PluginAttemptEnd => ({ ended: 'done', result }))
    .catch((error: unknown): PluginAttemptEnd => {
      const reason = controller.signal.reason as PluginStop | undefined;
      if (controller.signal.aborted && reason !== 'timeout') return { ended: 'stopped' };
      const failure =
        reason === 'timeout'
          ? new JobFailure('timeout', `Timed out after ${Math.round(timeoutMs / 1000)} s.`)
          : error instanceof JobFailure
            ? error
            : new JobFailure('plugin', error instanceof Error ? error.message : String(error));
      return { ended: 'failed', failure };
    })
    .finally(() => {
      clock.clearTimeout(timer);
      pluginRunner.release(id);
    });
}
