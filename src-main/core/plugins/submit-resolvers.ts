import { z } from 'zod';
import {
  credentialHeaders,
  DownloadOptions,
  type CommandOutput,
  type LineProblem,
  type ParsedInput,
} from '../../../src-common/contract';
import { describeIssues } from '../errors';
import { HaulError, noLineTaken } from '../errors';
import { parseUrlLines } from '../jobs/submit';
import { checkPlainName } from './plugin-paths';
import { checkPluginUrl } from './plugin-submit';

type Submit = ParsedInput<'downloads.submit'>;
type SubmitOutput = CommandOutput<'downloads.submit'>;

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:/i.test(u), 'must be http or https');
const Link = z.object({
  url: httpUrl,
  fileName: DownloadOptions.shape.fileName,
  headers: DownloadOptions.shape.headers,
});
/** What a resolver may answer: a URL, one link, or several (a folder, a playlist). */
const ResolverAnswer = z.union([
  httpUrl.transform((url) => [{ url }]),
  Link.transform((link) => [link]),
  z
    .array(z.union([httpUrl.transform((url) => ({ url })), Link]))
    .min(1)
    .max(500),
]);
export type ResolvedLink = z.infer<typeof Link> & {
  /** Set by the host for a link off the submitted host: where its hops may go. */
  allowedHosts?: readonly string[];
};

export function parseResolverAnswer(value: unknown): ResolvedLink[] {
  const parsed = ResolverAnswer.safeParse(value);
  if (!parsed.success) throw new Error(`the resolver's answer is not usable: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/**
 * A resolver leads Haul only where its plugin may go: the host the user submitted, or a
 * host in its plugin.json `hosts`; names are plain names. Throws on the first that is not.
 */
export function checkResolvedLinks(links: ResolvedLink[], submitted: string, hosts: readonly string[]): void {
  const own = new URL(submitted).host;
  for (const link of links) {
    if (new URL(link.url).host !== own) {
      checkPluginUrl(link.url, hosts, 'haul.resolve');
      // Where the plugin leads, its redirects stay within the same grant (and the user's host).
      link.allowedHosts = [...hosts, own];
    }
    if (link.fileName !== undefined) checkPlainName(link.fileName, 'haul.resolve');
  }
}

/**
 * The headers a resolved link is asked with: the submit's, and the resolver's own over
 * them. The submit's credentials (a Cookie the browser handed over, an Authorization)
 * were given for the submitted URL's origin: a link on another origin, or on its host in
 * clear text, goes without them, wherever the resolver leads.
 */
function linkHeaders(
  submitted: string,
  given: Record<string, string> | undefined,
  link: ResolvedLink,
): Record<string, string> | undefined {
  if (!given && !link.headers) return undefined;
  const sameOrigin = new URL(link.url).origin === new URL(submitted).origin;
  const kept = Object.entries(given ?? {}).filter(
    ([name]) => sameOrigin || !credentialHeaders.includes(name.toLowerCase()),
  );
  return { ...Object.fromEntries(kept), ...link.headers };
}

/** Asks the plugins, in order, to resolve one URL; undefined when none takes it. */
export type ResolveUrl = (url: string) => Promise<ResolvedLink[] | undefined>;

/**
 * downloads.submit with haul.resolve in front: each submitted URL may become one or more
 * direct downloads with their own names and headers. URLs no resolver takes go through
 * exactly as before, in one submit, so duplicate checks and idempotency keep working.
 */
export async function submitWithResolvers(
  input: Submit,
  resolve: ResolveUrl,
  submit: (input: Submit, limits?: { allowedHosts?: readonly string[] }) => SubmitOutput,
  /** Whether some resolver's pattern may take the URL: the others are not asked at all. */
  mayResolve: (url: string) => boolean = () => true,
): Promise<SubmitOutput> {
  const { urls, invalid } = parseUrlLines(input.url);
  // Most submits match no pattern: they go through as they are, without a call per URL.
  const asked = urls.map((entry) => mayResolve(entry.url));
  if (!asked.includes(true)) return submit(input);
  const answers = await Promise.all(
    urls.map(async (entry, index) => ({ ...entry, links: asked[index] ? await resolve(entry.url) : undefined })),
  );
  if (answers.every((a) => a.links === undefined)) return submit(input);

  const problems: LineProblem[] = [...invalid];
  const jobs: SubmitOutput['jobs'] = [];
  const plain = answers.filter((a) => a.links === undefined);
  /** Runs one inner submit; `lineOf` turns its line numbers into the user's. */
  const attempt = (line: number, text: string, run: () => SubmitOutput, lineOf: (inner: number) => number) => {
    let refused: readonly LineProblem[];
    try {
      const out = run();
      jobs.push(...out.jobs);
      refused = out.invalid;
    } catch (error) {
      if (!(error instanceof HaulError)) throw error;
      // A refusal that names its lines (none taken, a duplicate) keeps them, each with its reason.
      if (!error.details?.lines) {
        problems.push({ line, text, message: error.message });
        return;
      }
      refused = error.details.lines;
    }
    for (const bad of refused) problems.push({ ...bad, line: lineOf(bad.line) });
  };
  if (plain.length > 0) {
    // Lines of that inner submit are positions in `plain`.
    attempt(
      plain[0]!.line,
      plain[0]!.url,
      () => submit({ ...input, url: plain.map((a) => a.url).join('\n') }),
      (inner) => plain[inner - 1]?.line ?? plain[0]!.line,
    );
  }
  const resolved = answers.flatMap((a) => (a.links ?? []).map((link) => ({ line: a.line, url: a.url, link })));
  resolved.forEach(({ line, url, link }, index) => {
    attempt(
      line,
      link.url,
      () =>
        submit(
          {
            ...input,
            url: link.url,
            fileName: link.fileName ?? (resolved.length === 1 && plain.length === 0 ? input.fileName : undefined),
            headers: linkHeaders(url, input.headers, link),
            idempotencyKey: input.idempotencyKey ? `${input.idempotencyKey}#r${index + 1}` : undefined,
          },
          { allowedHosts: link.allowedHosts },
        ),
      () => line,
    );
  });
  problems.sort((x, y) => x.line - y.line);
  if (jobs.length === 0) throw noLineTaken('url', problems);
  return { jobs, invalid: problems };
}
