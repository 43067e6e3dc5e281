/** What Haul is given for one URL: the request as the browser would have made it. */
import { ext } from './browser-api';
import type { SubmitInput } from '../../src-common/contract';
import type { ExtensionOptions } from './options-store';

/** Both needed to read a site's cookies; asked for on the options page, never at install. */
export const cookiePermission: chrome.permissions.Permissions = { permissions: ['cookies'], origins: ['<all_urls>'] };

/** The cookies the browser would send to `url`, when the user allowed it; else nothing. */
export async function cookieHeader(url: string, options: ExtensionOptions): Promise<string | undefined> {
  if (!options.sendCookies) return undefined;
  if (!(await ext.permissions.contains(cookiePermission))) return undefined;
  const cookies = await ext.cookies.getAll({ url });
  const header = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
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
    ?.replace(/^[.\s]+/u, '')
    .trim();
  return name ? name : undefined;
}

export interface HandOver {
  url: string;
  referrer?: string;
  fileName?: string;
}

export async function submitInput(request: HandOver, options: ExtensionOptions): Promise<SubmitInput> {
  const headers: Record<string, string> = { 'User-Agent': navigator.userAgent };
  if (request.referrer && /^https?:/i.test(request.referrer)) headers.Referer = request.referrer;
  const cookie = await cookieHeader(request.url, options);
  if (cookie) headers.Cookie = cookie;
  return {
    url: request.url,
    ...(request.fileName ? { fileName: request.fileName } : {}),
    headers,
  };
}
