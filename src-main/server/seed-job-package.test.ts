import { describe, expect, it } from 'vitest';
import { CreateTaskInput } from '../../src-common/tasks';
import { BadRequest } from './reply';
import { createBodyFromSeed, statusFilterFromSeed } from './seed-job-package';

const refusal = (run: () => unknown): BadRequest => {
  try {
    run();
  } catch (error) {
    if (error instanceof BadRequest) return error;
    throw error;
  }
  throw new Error('not refused');
};

describe('the job-package create body', () => {
  it("maps the seed's names to Haul's, a valid jobs.create input", () => {
    const input = createBodyFromSeed({
      type: 'dataset',
      idempotency_key: 'k',
      params: [1, 2],
      timeout_sec: 60,
      max_retries: 1,
      retry_delay_sec: 2,
      metadata: { owner: 'me' },
    });
    expect(input).toEqual({
      name: 'dataset',
      type: 'dataset',
      idempotencyKey: 'k',
      timeoutSec: 60,
      maxRetries: 1,
      retryDelaySec: 2,
      metadata: { owner: 'me', params: [1, 2] },
    });
    expect(CreateTaskInput.safeParse(input).success).toBe(true);
  });

  it("leaves Haul's own body as it is, and a given name alone", () => {
    const body = { name: 'Backup', type: 'backup', idempotencyKey: 'k', metadata: { a: 1 } };
    expect(createBodyFromSeed(body)).toEqual(body);
    expect(createBodyFromSeed({ name: 'Mine', type: 'dataset', params: null })).toEqual({
      name: 'Mine',
      type: 'dataset',
      metadata: { params: null },
    });
    expect(createBodyFromSeed('text')).toBe('text');
    // Without any of the seed's own fields, it is Haul's body: no name is made up.
    expect(createBodyFromSeed({ type: 'backup' })).toEqual({ type: 'backup' });
  });

  it('refuses one field under both names, naming the seed one', () => {
    expect(refusal(() => createBodyFromSeed({ type: 't', retry_delay_sec: 1, retryDelaySec: 1 })).field).toBe(
      'retry_delay_sec',
    );
    expect(refusal(() => createBodyFromSeed({ type: 't', params: 1, metadata: { params: 2 } })).field).toBe('params');
  });
});

describe('job-package statuses in a filter', () => {
  it('maps waiting and canceled, passes the others on for the schema to judge', () => {
    expect(statusFilterFromSeed('waiting, canceled,running')).toBe('pending,cancelled,running');
    expect(statusFilterFromSeed('queued')).toBe('queued');
  });

  it('refuses the ones Haul never produces, all of them named', () => {
    const error = refusal(() => statusFilterFromSeed('running,locked,initializing'));
    expect(error.field).toBe('status');
    expect(error.message).toContain('locked, initializing');
  });
});
