import type { DownloadJob, LineProblem, ParsedInput, UrlLine } from '../../../src-common/contract';
export { parseUrlLines, type UrlLine } from '../../../src-common/contract';
import { HaulError } from '../errors';

/** Where a new download job stands among those of its submission. */
interface NewDownloadAt {
  id: string;
  url: string;
  /** 0-based among the jobs this submission creates. */
  index: number;
  single: boolean;
  now: number;
  position: number;
  defaults: { maxAttempts: number; dir: string };
  allowedHosts?: readonly string[];
}

/**
 * The download jobs a submission's URLs become, in line order from `firstPosition`, and
 * the lines refused: a URL on an earlier line, or one that an unfinished download in the
 * live list fetches already (`activeDownloadOf`), unless the input says `force`. A lone
 * URL refused that way is a `conflict` of its own. `refused` starts with `lines.invalid`.
 */
export function submittedDownloads(
  input: ParsedInput<'downloads.submit'>,
  lines: { urls: UrlLine[]; invalid: LineProblem[] },
  at: Pick<NewDownloadAt, 'now' | 'defaults' | 'allowedHosts'> & {
    firstPosition: number;
    newId: () => string;
    activeDownloadOf: (url: string) => string | undefined;
  },
): { jobs: DownloadJob[]; refused: LineProblem[] } {
  const { urls, invalid } = lines;
  const refused: LineProblem[] = [...invalid];
  const seen = new Set<string>();
  const jobs: DownloadJob[] = [];
  for (const { line, url } of urls) {
    const existing = at.activeDownloadOf(url);
    const duplicate = seen.has(url)
      ? 'the same URL is on an earlier line'
      : existing
        ? `already in the list as job ${existing}`
        : undefined;
    if (duplicate && !input.force) {
      const problem = { line, text: url, message: duplicate, duplicate: true } as const;
      if (urls.length === 1 && invalid.length === 0) {
        throw new HaulError('conflict', `This URL is ${duplicate}; submit with force to download it again.`, {
          field: 'url',
          lines: [problem],
        });
      }
      refused.push(problem);
      continue;
    }
    seen.add(url);
    jobs.push(
      newDownloadJob(input, {
        id: at.newId(),
        url,
        // Keys count the jobs made, not the lines: a skipped line leaves no gap.
        index: jobs.length,
        single: urls.length === 1,
        now: at.now,
        position: at.firstPosition + jobs.length,
        defaults: at.defaults,
        allowedHosts: at.allowedHosts,
      }),
    );
  }
  return { jobs, refused };
}

/**
 * A new download job for one URL of a submission. A file name applies only when one URL
 * was given; the idempotency key of the n-th job made (n > 1) is `key#n`.
 */
function newDownloadJob(input: ParsedInput<'downloads.submit'>, at: NewDownloadAt): DownloadJob {
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
