import fc from 'fast-check';
import { JobFailure } from '../core/jobs/runner';
import type { TestCenter } from './job-kit';

/** One random thing a user, the engine or time can do to the job center. */
export const jobStep = fc.oneof(
  fc.record({ op: fc.constant('submit' as const), n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ op: fc.constantFrom('pause', 'resume', 'cancel', 'retry', 'remove'), pick: fc.nat() }),
  fc.record({ op: fc.constantFrom('progress', 'process', 'succeed', 'transient', 'permanent'), pick: fc.nat() }),
  fc.record({
    op: fc.constant('plugin' as const),
    plugin: fc.constantFrom('a', 'b'),
    outcome: fc.constantFrom('ok', 'throw', 'hang'),
  }),
  fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 2000 }) }),
);
export type JobStep = typeof jobStep extends fc.Arbitrary<infer T> ? T : never;

let urlCounter = 0;

/**
 * Applies a step. Commands the state machine refuses must be refused with `conflict`
 * or `not_found`; anything else thrown fails the test.
 */
export async function applyStep(
  step: JobStep,
  { center, engine, clock, pluginJob }: Pick<TestCenter, 'center' | 'engine' | 'clock' | 'pluginJob'>,
): Promise<void> {
  const ids = center.registry.liveJobs().map((e) => e.job.id);
  const target = 'pick' in step && ids.length > 0 ? ids[step.pick % ids.length]! : undefined;
  const running = engine.running();
  const attempt = 'pick' in step && running.length > 0 ? running[step.pick % running.length] : undefined;
  try {
    switch (step.op) {
      case 'submit':
        center.submit({ url: Array.from({ length: step.n }, () => `https://a.example/${urlCounter++}`).join('\n') });
        break;
      case 'pause':
      case 'resume':
      case 'cancel':
      case 'retry':
        if (target) center[step.op](target);
        break;
      case 'remove':
        if (target) await center.remove(target);
        break;
      case 'progress':
        attempt?.context.progress({ receivedBytes: (step.pick % 100) + 1, totalBytes: 100, speed: 10, connections: 1 });
        break;
      case 'process':
        attempt?.context.enterProcessing();
        break;
      case 'succeed':
        attempt?.succeed();
        break;
      case 'transient':
        attempt?.fail(new JobFailure('network', 'connection reset', { transient: true }));
        break;
      case 'permanent':
        attempt?.fail(new JobFailure('http', 'The server answered 404 Not Found', { status: 404 }));
        break;
      case 'plugin':
        pluginJob({ pluginName: step.plugin, actionId: 'act', label: 'work', entityType: 'custom' }, async () => {
          if (step.outcome === 'throw') throw new Error('plugin failed');
          if (step.outcome === 'hang') await new Promise(() => undefined);
          return { ok: true };
        });
        break;
      case 'tick':
        clock.advance(step.ms);
        break;
    }
  } catch (error) {
    const kind = (error as { kind?: string }).kind;
    if (kind !== 'conflict' && kind !== 'not_found') throw error;
  }
}
