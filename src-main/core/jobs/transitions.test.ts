import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { downloadStatuses, pluginStatuses, type Job } from '../../../src-common/contract';
import { openTestCenter, settle } from '../../test/job-kit';
import { applyStep, jobStep } from '../../test/job-steps';
import { downloadTransitions, nextStatus, pluginTransitions, taskTransitions } from './transitions';

/** Every (from, to) pair some named transition allows, per source. */
function legalPairs(table: Record<string, { from: readonly string[]; to: string }>): Set<string> {
  const pairs = new Set<string>();
  for (const rule of Object.values(table)) for (const from of rule.from) pairs.add(`${from}>${rule.to}`);
  return pairs;
}
const legal = {
  download: legalPairs(downloadTransitions),
  plugin: legalPairs(pluginTransitions),
  task: legalPairs(taskTransitions),
};

describe('transition table', () => {
  it('only names statuses of its own source', () => {
    for (const rule of Object.values(downloadTransitions)) {
      expect(downloadStatuses).toContain(rule.to);
      for (const from of rule.from) expect(downloadStatuses).toContain(from);
    }
    for (const rule of Object.values(pluginTransitions)) {
      expect(pluginStatuses).toContain(rule.to);
      for (const from of rule.from) expect(pluginStatuses).toContain(from);
    }
  });

  it('finished jobs can only be retried', () => {
    for (const status of ['completed'] as const) {
      for (const name of Object.keys(downloadTransitions) as (keyof typeof downloadTransitions)[]) {
        expect(() => nextStatus({ source: 'download', status, id: 'x' }, name)).toThrow(/Cannot/);
      }
    }
    expect(nextStatus({ source: 'download', status: 'failed', id: 'x' }, 'retry')).toBe('pending');
    expect(() => nextStatus({ source: 'plugin', status: 'completed', id: 'x' }, 'cancel')).toThrow(
      /Cannot cancel job x: the plugin job is completed/,
    );
  });
});

describe('random sequences of commands and engine outcomes', () => {
  it('never reach an illegal status, and SQLite always equals the live state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(jobStep, { minLength: 1, maxLength: 50 }), async (steps) => {
        const t = openTestCenter({ pluginTimeoutMs: 3000, eventBufferSize: 100_000 });
        const events = t.center.hub.subscribe();
        const lastStatus = new Map<string, Job['status']>();
        try {
          for (const step of steps) {
            await applyStep(step, t);
            await settle(3);
            // Every status change that was emitted is a legal pair of the table.
            for (let e = events.poll(); e; e = events.poll()) {
              if (e.event === 'init') continue;
              const { job, type } = e.data;
              const before = lastStatus.get(job.id);
              if (type === 'removed') {
                lastStatus.delete(job.id);
                continue;
              }
              if (before !== undefined && before !== job.status) {
                expect(legal[job.source].has(`${before}>${job.status}`), `${before} -> ${job.status}`).toBe(true);
              }
              lastStatus.set(job.id, job.status);
            }
            // What SQLite holds, read back, equals the live state.
            t.center.registry.flushProgress();
            for (const { job } of t.center.registry.liveJobs()) {
              const statuses: readonly string[] = job.source === 'download' ? downloadStatuses : pluginStatuses;
              expect(statuses).toContain(job.status);
              expect(t.center.store.get(job.id)?.job).toEqual(job);
            }
          }
        } finally {
          await t.dispose();
        }
      }),
      { numRuns: 60 },
    );
  });
});
