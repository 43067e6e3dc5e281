import type { DownloadJob, ParsedInput } from '../../../src-common/contract';

export interface UrlLine {
  line: number;
  url: string;
}

export interface InvalidLine {
  line: number;
  text: string;
  message: string;
}

/**
 * Splits submitted text into URLs, one per line (event-stream API). Blank lines are skipped;
 * anything that is not an absolute http(s) URL is reported by its 1-based line number.
 */
export function parseUrlLines(text: string): { urls: UrlLine[]; invalid: InvalidLine[] } {
  const urls: UrlLine[] = [];
  const invalid: InvalidLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const candidate = raw.trim();
    if (candidate === '') return;
    const line = index + 1;
    let parsed: URL;
    try {
      parsed = new URL(candidate);
    } catch {
      invalid.push({ line, text: candidate, message: 'not a URL' });
      return;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      invalid.push({ line, text: candidate, message: `only http and https are supported, not ${parsed.protocol}` });
      return;
    }
    if (!parsed.hostname) {
      invalid.push({ line, text: candidate, message: 'the URL has no host' });
      return;
    }
    urls.push({ line, url: parsed.href });
  });
  return { urls, invalid };
}

/**
 * A new download job for one URL of a submission. A file name applies only when one URL
 * was given; the idempotency key of the n-th job made (n > 1) is `key#n`.
 */
export function newDownloadJob(
  input: ParsedInput<'downloads.submit'>,
  at: {
    id: string;
    url: string;
    /** 0-based among the jobs this submission creates. */
    index: number;
    single: boolean;
    now: number;
    position: number;
    defaults: { maxAttempts: number; dir: string };
    allowedHosts?: readonly string[];
  },
): DownloadJob {
  const fileName = input.fileName && at.single ? input.fileName : undefined;
  const key = input.idempotencyKey;
  return {
    id: at.id,
    source: 'download',
    status: input.paused ? 'paused' : 'pending',
    progress: 0,
    message: input.paused ? 'Paused' : 'Queued',
    createdAt: at.now,
    startedAt: null,
    finishedAt: null,
    updatedAt: at.now,
    attempts: 0,
    maxAttempts: input.maxAttempts ?? at.defaults.maxAttempts,
    error: null,
    result: null,
    idempotencyKey: key ? (at.index === 0 ? key : `${key}#${at.index + 1}`) : null,
    url: at.url,
    finalUrl: null,
    fileName: fileName ?? null,
    dir: input.dir ?? at.defaults.dir,
    totalBytes: null,
    receivedBytes: 0,
    speed: 0,
    eta: null,
    connections: 0,
    resourceId: null,
    priority: input.priority ?? 0,
    position: at.position,
    options: {
      ...(input.connections !== undefined ? { connections: input.connections } : {}),
      ...(input.checksum ? { checksum: input.checksum } : {}),
      ...(input.headers ? { headers: input.headers } : {}),
      ...(input.speedLimit !== undefined ? { speedLimit: input.speedLimit } : {}),
      ...(input.dir ? { dir: input.dir } : {}),
      ...(fileName ? { fileName } : {}),
      ...(at.allowedHosts ? { allowedHosts: [...at.allowedHosts] } : {}),
    },
  };
}
