import { describe, expect, it } from 'vitest';
import { JobFailure, stripTransient, toJobError } from './runner';

describe('a runner failure as the job records it', () => {
  it('keeps kind, message and status, and drops the retry hints when kept on the job', () => {
    const failure = toJobError(
      new JobFailure('http', 'The server answered 503.', { transient: true, status: 503, retryAfterMs: 2000 }),
    );
    expect(failure).toEqual({
      kind: 'http',
      message: 'The server answered 503.',
      status: 503,
      transient: true,
      retryAfterMs: 2000,
    });
    expect(stripTransient(failure)).toStrictEqual({ kind: 'http', message: 'The server answered 503.', status: 503 });
  });

  it('turns anything else into an internal error that is not retried', () => {
    const failure = toJobError(new TypeError('x is undefined'));
    expect(failure).toEqual({ kind: 'internal', message: 'Unexpected error: x is undefined', transient: false });
    expect(stripTransient(failure)).toStrictEqual({ kind: 'internal', message: 'Unexpected error: x is undefined' });
  });
});
