import { describe, expect, it } from 'vitest';
import { downloadJob, taskJob } from '../test/job-fixtures';
import { nilUuid, seed004Job } from './routes-seed-004';

describe("seed 004's job fields", () => {
  it("turns a running download's seconds left into the time it should end, in unix milliseconds", () => {
    const now = 1_800_000_000_000;
    expect(seed004Job(downloadJob({ status: 'downloading', eta: 30 }), now).eta).toBe(now + 30_000);
    expect(seed004Job(downloadJob({ status: 'downloading', eta: null }), now).eta).toBe(0);
    expect(seed004Job(downloadJob({ status: 'paused', eta: 30 }), now).eta).toBe(0);
  });

  it('leaves out what is empty, as omitempty does, and answers progress from 0 to 1', () => {
    const wire = JSON.parse(JSON.stringify(seed004Job(taskJob({ progress: 40, maxAttempts: 1 }))));
    expect(wire).toMatchObject({ progress: 0.4, status: 'running', idempotency_key: nilUuid });
    for (const field of ['error', 'result', 'params', 'timeout_sec', 'max_retries'])
      expect(wire).not.toHaveProperty(field);
    const failed = seed004Job(
      taskJob({ status: 'failed', error: { kind: 'plugin', message: 'disk full' }, result: { n: 1 }, maxAttempts: 3 }),
    );
    expect(failed).toMatchObject({ status: 'failed', error: 'disk full', result: '{"n":1}', max_retries: 2 });
  });
});
