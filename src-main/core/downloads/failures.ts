import { STATUS_CODES } from 'node:http';
import { JobFailure } from '../jobs/runner';
import { UntrustedCertificate } from './tls-trust';

export { DiskFailure, diskFailure } from './disk-failure';

/**
 * Turns what went wrong (an HTTP status, a socket error, a file system error) into the
 * JobFailure the job core understands: a kind, whether a retry can help, a message a
 * user can act on.
 */

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/u.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export function statusText(status: number): string {
  const text = STATUS_CODES[status];
  return text ? `${status} ${text}` : String(status);
}

/** A failure for an answer that is not the file: 408, 429 and 5xx are worth a retry. */
export function failureFromStatus(status: number, retryAfter?: string | null): JobFailure {
  const transient = status === 408 || status === 429 || status >= 500;
  let hint = '';
  if (status === 401 || status === 403) hint = ' The link may have expired or need a login.';
  else if (status === 404 || status === 410) hint = ' Check the address.';
  // Whether Haul tries again is the scheduler's to say (attempts may have run out).
  return new JobFailure('http', `The server answered ${statusText(status)}.${hint}`, {
    transient,
    status,
    retryAfterMs: transient ? parseRetryAfter(retryAfter) : undefined,
  });
}

/**
 * A refusal (401, 403, 410) from the address a redirect led to. Such addresses are often
 * signed and expire within minutes, while the address the download was given still
 * works: worth another attempt, which asks that address again and resumes.
 */
export function refusedAfterRedirect(failure: JobFailure, original: string, answered: string): JobFailure {
  const { status } = failure;
  if (failure.kind !== 'http' || failure.transient || (status !== 401 && status !== 403 && status !== 410)) {
    return failure;
  }
  const asked = new URL(original);
  const host = asked.host;
  asked.username = '';
  asked.password = '';
  asked.hash = '';
  if (asked.href === new URL(answered).href) return failure;
  return new JobFailure(
    'http',
    `The server answered ${statusText(status)} at the address ${host} redirected to, which may have expired. The next attempt asks ${host} again.`,
    { transient: true, status },
  );
}

/**
 * The part file was deleted while it downloaded (by hand, or with its folder): its bytes
 * went with it, so the next attempt starts over. Not retried on its own: someone chose it.
 */
export class PartGone extends JobFailure {
  constructor(path: string) {
    super('disk', `The partial file was deleted (${path}). Retry to download the file again.`);
  }
}

const timeoutCodes = new Set(['UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
const stallCodes = new Set(['UND_ERR_BODY_TIMEOUT']);
/** No route to the server at all: the machine's network is down, or the server's. */
const unreachableCodes = new Set(['ENETUNREACH', 'ENETDOWN', 'EHOSTUNREACH', 'EHOSTDOWN']);

/**
 * Certificate errors: the server's identity cannot be proven, and asking again will not
 * change that. Permanent, never retried (a retry would only hide the problem).
 */
const certificateCodes: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'is signed by an untrusted (self-signed) authority',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'cannot be verified',
  UNABLE_TO_GET_ISSUER_CERT: 'has an unknown issuer',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'has an unknown issuer',
  CERT_HAS_EXPIRED: 'has expired',
  CERT_NOT_YET_VALID: 'is not valid yet',
  CERT_REVOKED: 'was revoked',
  CERT_UNTRUSTED: 'is not trusted',
  CERT_SIGNATURE_FAILURE: 'has a bad signature',
  ERR_TLS_CERT_ALTNAME_INVALID: 'is for another host name',
  HOSTNAME_MISMATCH: 'is for another host name',
};

/** A socket or protocol error as a transient failure; anything else passes through. */
export function networkFailure(error: unknown, host: string): JobFailure {
  if (error instanceof JobFailure) return error;
  const untrusted = error instanceof UntrustedCertificate ? error : null;
  if (untrusted?.code === 'PIN_MISMATCH') {
    return new JobFailure(
      'network',
      `The TLS certificate of ${untrusted.facts.host} is not the one you trusted for it (it is ${untrusted.facts.fingerprint256}), so Haul did not connect. Trust the new one only if you expected it to change.`,
      { certificate: untrusted.facts },
    );
  }
  const err = error as (Error & { code?: string; cause?: { code?: string } }) | null;
  const code = err?.code ?? err?.cause?.code ?? '';
  const certificate = certificateCodes[code] ?? (untrusted ? 'is not trusted' : undefined);
  if (certificate) {
    const where = untrusted?.facts.host ?? host;
    const advice = untrusted
      ? ' If you know this server (a NAS, a home lab), check its fingerprint and trust this certificate for it.'
      : '';
    return new JobFailure(
      'network',
      `The TLS certificate of ${where} ${certificate} (${code}), so the connection cannot be trusted. Haul does not retry this.${advice}`,
      untrusted ? { certificate: untrusted.facts } : {},
    );
  }
  if (timeoutCodes.has(code)) {
    return new JobFailure('timeout', `Connecting to ${host} timed out.`, { transient: true });
  }
  if (stallCodes.has(code)) {
    return new JobFailure('stalled', `${host} stopped sending data.`, { transient: true });
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new JobFailure('stalled', `${host} did not answer in time (no complete headers).`, { transient: true });
  }
  if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
    return new JobFailure('network', `${host} sent a body of another length than its Content-Length said.`, {
      transient: true,
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    // EAI_AGAIN: no name server answered, as when the network is down.
    return new JobFailure('network', `The name ${host} could not be resolved.`, {
      transient: true,
      unreachable: code === 'EAI_AGAIN',
    });
  }
  if (unreachableCodes.has(code)) {
    return new JobFailure('network', `${host} cannot be reached (${code}): is the network down?`, {
      transient: true,
      unreachable: true,
    });
  }
  if (code === 'ECONNREFUSED') {
    return new JobFailure('network', `${host} refused the connection.`, { transient: true });
  }
  const detail = err?.message ? `: ${err.message}` : '';
  return new JobFailure('network', `The connection to ${host} failed${detail}.`, { transient: true });
}
