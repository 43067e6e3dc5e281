import type { DownloadJob, Snapshot } from '../../../src-common/contract';

/** What a secret is replaced with wherever a job leaves the core. */
export const redacted = '[redacted]';

/** Request headers whose values are credentials. */
const secretHeader = /^(cookie|authorization|proxy-authorization)$|token|secret|api-?key|password|session/i;

export function isSecretHeader(name: string): boolean {
  return secretHeader.test(name);
}

/** The URL without its `user:pass@` part (kept as a marker that there was one). */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username === '' && parsed.password === '') return url;
  parsed.username = '';
  parsed.password = '';
  return parsed.href.replace('//', `//${redacted}@`);
}

/** Any `scheme://user:pass@` in free text (a log line, an error message). */
export function redactText(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/giu, `$1${redacted}@`);
}

/**
 * A download job as clients, logs and plugins see it: credential headers and the
 * password in the URL replaced. The job core and the engine keep the real values.
 */
export function redactJob<J extends { source: string }>(job: J): J {
  if (job.source !== 'download') return job;
  const download = job as unknown as DownloadJob;
  const headers = download.options.headers;
  const secret = headers && Object.keys(headers).some(isSecretHeader);
  const userinfo =
    /\/\/[^/]*@/u.test(download.url) || (download.finalUrl !== null && /\/\/[^/]*@/u.test(download.finalUrl));
  if (!secret && !userinfo && !download.error) return job;
  const options = secret
    ? {
        ...download.options,
        headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, isSecretHeader(k) ? redacted : v])),
      }
    : download.options;
  return {
    ...download,
    url: redactUrl(download.url),
    finalUrl: download.finalUrl === null ? null : redactUrl(download.finalUrl),
    error: download.error ? { ...download.error, message: redactText(download.error.message) } : null,
    message: redactText(download.message),
    options,
  } as unknown as J;
}

export function redactSnapshot(snapshot: Snapshot): Snapshot {
  return { ...snapshot, jobs: snapshot.jobs.map(redactJob) };
}

/** Every download job anywhere in a command's answer (a job, a list, `{ jobs }`), redacted. */
export function redactOutput(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactOutput(item, depth + 1));
  const record = value as Record<string, unknown>;
  if (record.source === 'download' && typeof record.url === 'string') return redactJob(record as { source: string });
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) {
    out[key] = redactOutput(item, depth + 1);
    if (out[key] !== item) changed = true;
  }
  return changed ? out : value;
}
