import type { Job } from '../../../src-common/contract';
import { retryDelay, type BackoffOptions } from './backoff';
import type { JobPatch } from './registry';
import { stripTransient, type toJobError } from './runner';

type Failure = ReturnType<typeof toJobError>;

/** What a failed attempt leads to: a download's retry after `delay` ms, or the job's end. */
export type FailureOutcome = { retry: true; delay: number; patch: JobPatch } | { retry: false; patch: JobPatch };

/**
 * A transient failure of a download is retried with backoff while attempts are left.
 * `headway`: the attempt got further than any before it, so it is not counted and the
 * next attempt is the first of a new count (see Headway). `unreachedTries`: the attempt
 * could not reach the server at all, the latest of that many in a row within the wait
 * for the network (see Headway.unreachable), so it is not counted either.
 */
export function failureOutcome(
  job: Job,
  failure: Failure,
  headway: boolean,
  backoff?: BackoffOptions,
  unreachedTries?: number,
): FailureOutcome {
  const error = stripTransient(failure);
  const waitingForNetwork = unreachedTries !== undefined;
  if (
    job.source === 'download' &&
    failure.transient &&
    (waitingForNetwork || headway || job.attempts < job.maxAttempts)
  ) {
    // The wait grows with the attempts counted, or while waiting for the network with the
    // tries in a row (none counted), up to the backoff's longest.
    const delay = retryDelay(unreachedTries ?? (headway ? 1 : job.attempts), failure.retryAfterMs, backoff);
    const seconds = Math.ceil(delay / 1000);
    const wait = waitingForNetwork
      ? `Waiting for the network: retrying in ${seconds} s`
      : `Retrying in ${seconds} s${headway ? '' : ` (attempt ${job.attempts} of ${job.maxAttempts})`}`;
    const attempts = waitingForNetwork ? { attempts: Math.max(0, job.attempts - 1) } : headway ? { attempts: 0 } : {};
    return {
      retry: true,
      delay,
      patch: { error, speed: 0, eta: null, connections: 0, ...attempts, message: `${wait}: ${failure.message}` },
    };
  }
  const gaveUp = failure.transient && job.attempts > 1;
  const sentence = /[.!?]$/.test(failure.message) ? failure.message : `${failure.message}.`;
  return {
    retry: false,
    patch: {
      error,
      message: gaveUp ? `${sentence} Gave up after ${job.attempts} attempts.` : failure.message,
      ...(job.source === 'download' ? { speed: 0, eta: null, connections: 0 } : {}),
    },
  };
}
