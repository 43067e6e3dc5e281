/** What Haul is given for one URL: the request as the browser would have made it. */
import { getDomain } from 'tldts';
import { ext } from './browser-api';
import type { SubmitInput } from '../../src-common/contract';
import { invisibleNameChars } from '../../src-common/names';
import { cookiePermission, type ExtensionOptions } from './options-store';

/**
 * A URL's site as browsers weigh cookies: its scheme and registrable domain (`https` and
 * `example.co.uk` for `https://files.example.co.uk/`; the public suffix list's private part
 * counts, so `a.github.io` and `b.github.io` are two sites), or its host where it has none
 * (an address, `localhost`).
 */
export function siteOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  return `${parsed.protocol}//${getDomain(parsed.hostname, { allowPrivateDomains: true }) ?? parsed.hostname}`;
}

/**
 * The cookies the browser would send to `url`, when the user allowed it; else nothing.
 * `SameSite=Strict` cookies go only to a link followed on the same site (`from`: the page,
 * the link's frame, a redirect's first URL; the page known), as the browser's own request
 * would: else any page could have Haul ask another site for something with the cookies
 * that site keeps for its own pages. A page that hides itself (no referrer) counts as
 * another site.
 */
export async function cookieHeader(
  url: string,
  options: ExtensionOptions,
  from: (string | undefined)[] = [],
): Promise<string | undefined> {
  if (!options.sendCookies) return undefined;
  if (!(await ext.permissions.contains(cookiePermission))) return undefined;
  const site = siteOf(url);
  const sameSite = from[0] !== undefined && from.every((other) => other === undefined || siteOf(other) === site);
  const cookies = await ext.cookies.getAll({ url });
  const header = cookies
    .filter((c) => sameSite || c.sameSite !== 'strict')
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');
  return header || undefined;
}

/**
 * The last segment of a browser path (`/home/a/Downloads/x.zip` or `C:\...\x.zip`). The
 * name may be the page's (a link's `download` attribute), so leading dots go, as they do
 * from a server's name in Haul: it never makes a hidden file.
 */
export function baseName(path: string | undefined): string | undefined {
  const name = path
    ?.split(/[\\/]/)
    .pop()
    // Invisible characters go first, as the engine drops them: "\u200b.bashrc" is a dot file too.
    ?.replace(invisibleNameChars, '')
    .replace(/^[.\s]+/u, '')
    .trim();
  return name ? name : undefined;
}

export interface HandOver {
  url: string;
  referrer?: string;
  /** What else the request came through: the link's frame, the first URL of a redirect. */
  via?: (string | undefined)[];
  fileName?: string;
}

export async function submitInput(request: HandOver, options: ExtensionOptions): Promise<SubmitInput> {
  const headers: Record<string, string> = { 'User-Agent': navigator.userAgent };
  if (request.referrer && /^https?:/i.test(request.referrer)) headers.Referer = request.referrer;
  const cookie = await cookieHeader(request.url, options, [request.referrer || undefined, ...(request.via ?? [])]);
  if (cookie) headers.Cookie = cookie;
  return {
    url: request.url,
    ...(request.fileName ? { fileName: request.fileName } : {}),
    headers,
  };
}
