import { hostAllowed } from '../downloads/host-list';
import { HaulError } from '../errors';

export { hostAllowed } from '../downloads/host-list';

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** @default 5 MB */
const defaultMaxBytes = 5 * 1024 * 1024;
/** The most any answer may be, whatever `maxBytes` asks. */
const mostBytes = 50 * 1024 * 1024;
/** @default 15 s */
const defaultTimeoutMs = 15_000;
const maxRedirects = 5;

export interface FetchAnswer {
  status: number;
  url: string;
  headers: Record<string, string>;
  /** Text, or base64 with `responseType: 'base64'`. */
  body: string;
  /** Parsed, with `responseType: 'json'`. */
  json?: unknown;
}

function checkUrl(text: string, hosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new HaulError('invalid_input', `http.fetch: not a URL: ${text}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HaulError('invalid_input', `http.fetch: only http and https, not ${url.protocol}`);
  }
  if (!hostAllowed(url, hosts)) {
    throw new HaulError(
      'forbidden',
      `http.fetch: ${url.host} is not among the hosts in plugin.json (${hosts.join(', ') || 'none'})`,
    );
  }
  return url;
}

/**
 * Fetches of one plugin that run at once; the rest wait their turn. Each holds its whole
 * answer in the main process until it goes to the sandbox, whatever the plugin's own
 * memory limit is.
 */
const fetchesAtOnce = 4;
const fetching = new WeakMap<object, { running: number; waiting: (() => void)[] }>();

/** Runs `fetch` when fewer than fetchesAtOnce of `owner`'s run. */
export async function inTurn<T>(owner: object, fetch: () => Promise<T>): Promise<T> {
  let state = fetching.get(owner);
  if (!state) fetching.set(owner, (state = { running: 0, waiting: [] }));
  while (state.running >= fetchesAtOnce) await new Promise<void>((resolve) => state.waiting.push(resolve));
  state.running += 1;
  try {
    return await fetch();
  } finally {
    state.running -= 1;
    state.waiting.shift()?.();
  }
}

/**
 * haul.http.fetch, done by the host with undici. Every redirect hop is checked against
 * the manifest's hosts too, so a listed server cannot bounce the plugin elsewhere.
 */
export async function pluginFetch(
  target: string,
  options: Record<string, unknown>,
  hosts: readonly string[],
  /** The caller's own bound below mostBytes (the plugin's memory). */
  limitBytes = mostBytes,
): Promise<FetchAnswer> {
  const method = String(options.method ?? 'GET').toUpperCase();
  if (!methods.includes(method as (typeof methods)[number])) {
    throw new HaulError('invalid_input', `http.fetch: method must be one of ${methods.join(', ')}`);
  }
  const headers: Record<string, string> = {};
  if (options.headers && typeof options.headers === 'object') {
    for (const [name, value] of Object.entries(options.headers)) headers[name] = String(value);
  }
  const body = options.body === undefined || options.body === null ? undefined : String(options.body);
  const asked = Number(options.maxBytes) || defaultMaxBytes;
  const maxBytes = Math.floor(Math.min(asked, mostBytes, limitBytes));
  // Raising maxBytes helps only below the bounds: mostBytes, and the caller's (half the
  // plugin's memory, see host-calls.ts).
  const over =
    asked > maxBytes
      ? `the most this plugin may fetch: ${mostBytes / 1024 / 1024} MB and half its memoryMb`
      : 'raise maxBytes';
  const signal = AbortSignal.timeout(Math.min(Number(options.timeoutMs) || defaultTimeoutMs, 120_000));

  let url = checkUrl(target, hosts);
  // undici loads on a plugin's first fetch, not at start (about 0.2 s and several MB).
  const { request } = await import('undici');
  for (let hop = 0; ; hop += 1) {
    const response = await request(url, { method: method as 'GET', headers, body, signal });
    const location = response.headers.location;
    if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string') {
      await response.body.dump();
      if (hop >= maxRedirects) throw new HaulError('unavailable', `http.fetch: more than ${maxRedirects} redirects`);
      url = checkUrl(new URL(location, url).href, hosts);
      continue;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        response.body.destroy();
        throw new HaulError('invalid_input', `http.fetch: the answer is over ${maxBytes} bytes (${over})`);
      }
      chunks.push(chunk as Buffer);
    }
    const bytes = Buffer.concat(chunks);
    const answer: FetchAnswer = {
      status: response.statusCode,
      url: url.href,
      headers: Object.fromEntries(
        Object.entries(response.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
      ),
      body: options.responseType === 'base64' ? bytes.toString('base64') : bytes.toString('utf8'),
    };
    if (options.responseType === 'json') {
      try {
        answer.json = JSON.parse(answer.body) as unknown;
      } catch {
        throw new HaulError('invalid_input', `http.fetch: the answer from ${url.host} is not JSON`);
      }
    }
    return answer;
  }
}
