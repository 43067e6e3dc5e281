import type { Dispatcher } from 'undici';
import { JobFailure } from '../jobs/runner';
import { credentialHeaders, forbiddenHeaders } from '../../../src-common/contract';
import { networkFailure } from './failures';
import { hostAllowed } from './host-list';
import { formatRange } from './segments';
import { dispatchGet, type AnswerBody, type DispatchedAnswer } from './answer-body';

/** Hops followed before giving up. @default 10 */
export const maxRedirects = 10;

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

export type ResponseBody = AnswerBody;

export interface OpenedResponse {
  status: number;
  headers: DispatchedAnswer['headers'];
  body: ResponseBody;
  /** The URL that answered, after redirects. */
  url: string;
}

export interface OpenOptions {
  dispatcher: Dispatcher;
  /** The user's extra headers (Referer, Cookie, User-Agent...). */
  headers: Readonly<Record<string, string>>;
  signal: AbortSignal;
  /** Asks for [start, end) only. */
  range?: { start: number; end: number | null };
  /** The validator for If-Range: a strong ETag or a Last-Modified date. */
  ifRange?: string | null;
  userAgent: string;
  /** Every hop's host must be on this list (a download a plugin added); absent: any host. */
  allowedHosts?: readonly string[];
  /**
   * The job's own address. The credentials in the headers (Cookie, Authorization) and the
   * user name and password in this address were given for its origin: a request starting
   * elsewhere (a range asked where a redirect led) carries none, nor does any hop after
   * one that left the origin or fell from https to http.
   */
  owner: string;
}

/** One header value, the first when repeated. */
export function header(headers: OpenedResponse['headers'], name: string): string | null {
  const value = headers[name];
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

/** Parses a URL Haul may fetch: http or https only. */
export function parseHttpUrl(url: string): URL | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * The Referer a browser would send to `target` for a page at `referer`, under its default
 * policy (strict-origin-when-cross-origin): the whole address on the page's own origin,
 * only the origin elsewhere, nothing from https to http. The page's path and query may
 * name private things (a search, a document's id) that another site has no business with.
 */
export function refererFor(referer: string, target: URL): string | undefined {
  const page = parseHttpUrl(referer);
  if (!page) return undefined;
  if (page.protocol === 'https:' && target.protocol === 'http:') return undefined;
  if (page.origin !== target.origin) return `${page.origin}/`;
  page.username = '';
  page.password = '';
  page.hash = '';
  return page.href;
}

function buildHeaders(
  options: OpenOptions,
  target: URL,
  owner: URL | null,
  keepCredentials: boolean,
): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': options.userAgent, accept: '*/*' };
  for (const [name, value] of Object.entries(options.headers)) {
    const lower = name.toLowerCase();
    if (forbiddenHeaders.includes(lower)) continue;
    if (!keepCredentials && credentialHeaders.includes(lower)) continue;
    if (lower === 'referer') {
      const referer = refererFor(value, target);
      if (referer !== undefined) headers[lower] = referer;
      continue;
    }
    headers[lower] = value;
  }
  if (keepCredentials && owner?.username && !headers['authorization']) {
    const user = `${decodeURIComponent(owner.username)}:${decodeURIComponent(owner.password)}`;
    headers['authorization'] = `Basic ${Buffer.from(user).toString('base64')}`;
  }
  headers['accept-encoding'] = 'identity';
  if (options.range) headers['range'] = formatRange(options.range.start, options.range.end);
  if (options.range && options.ifRange) headers['if-range'] = options.ifRange;
  return headers;
}

/**
 * GET `url`, following up to 10 redirects itself so that each hop is checked: http(s)
 * only, no loops, on the allowed hosts when there is a list, credentials sent only while
 * on the origin of `options.owner` (see OpenOptions.owner).
 * Any status is returned; the caller decides what it means.
 */
export async function openResponse(startUrl: string, options: OpenOptions): Promise<OpenedResponse> {
  let url = parseHttpUrl(startUrl);
  if (!url) throw new JobFailure('invalid_input', `Only http and https addresses can be downloaded: ${startUrl}`);
  const owner = parseHttpUrl(options.owner);
  const origin = owner?.origin ?? null;
  const visited = new Set<string>();
  let keepCredentials = url.origin === origin;
  for (let hop = 0; ; hop += 1) {
    // Before any byte goes out: a listed server must not bounce a plugin's download elsewhere.
    if (options.allowedHosts && !hostAllowed(url, options.allowedHosts)) {
      const where = hop === 0 ? 'The address' : 'The server redirected to an address that';
      throw new JobFailure(
        'plugin',
        `${where} is on ${url.host}, which the plugin that added this download may not reach (its hosts: ${options.allowedHosts.join(', ') || 'none'}).`,
      );
    }
    visited.add(url.href);
    const target = new URL(url.href);
    target.username = '';
    target.password = '';
    target.hash = '';
    let response: DispatchedAnswer;
    try {
      response = await dispatchGet(
        options.dispatcher,
        target,
        buildHeaders(options, target, owner, keepCredentials),
        options.signal,
      );
    } catch (error) {
      if (options.signal.aborted) throw options.signal.reason;
      throw networkFailure(error, url.host);
    }
    const location = header(response.headers, 'location');
    if (!redirectStatuses.has(response.statusCode) || location === null) {
      return { status: response.statusCode, headers: response.headers, body: response.body, url: target.href };
    }
    await response.body.dump();
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new JobFailure('http', `The server redirected to an invalid address: ${location}`);
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new JobFailure(
        'http',
        `The server redirected to a ${next.protocol} address; only http and https are followed.`,
      );
    }
    if (visited.has(next.href)) throw new JobFailure('http', `The server redirects in a loop (at ${next.href}).`);
    if (hop + 1 > maxRedirects) throw new JobFailure('http', `The server redirected more than ${maxRedirects} times.`);
    if (next.origin !== origin || (url.protocol === 'https:' && next.protocol === 'http:')) keepCredentials = false;
    url = next;
  }
}
