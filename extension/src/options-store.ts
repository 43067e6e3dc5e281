/** The extension's settings in `storage.local` (the token must not sync to other machines). */
import { ext } from './browser-api';

export interface ExtensionOptions {
  /** Hand downloads the browser starts to Haul. @default true */
  capture: boolean;
  /** Smaller downloads (when the size is known) stay in the browser; 0: any size. @default 0 */
  minSizeKb: number;
  /** Only these file types go to Haul; empty: every type. */
  captureTypes: string[];
  /** These file types always stay in the browser. */
  skipTypes: string[];
  /** Downloads from or linked on these sites (and their subdomains) stay in the browser. */
  skipSites: string[];
  /** @default 'http://127.0.0.1:8181' */
  haulUrl: string;
  token: string;
  /** Send the site's cookies with each download (needs the optional permission). @default true */
  sendCookies: boolean;
}

/** Both needed to read a site's cookies; asked for on the options page, never at install. */
export const cookiePermission: chrome.permissions.Permissions = { permissions: ['cookies'], origins: ['<all_urls>'] };

export const defaultOptions: ExtensionOptions = {
  capture: true,
  minSizeKb: 0,
  captureTypes: [],
  skipTypes: [],
  skipSites: [],
  haulUrl: 'http://127.0.0.1:8181',
  token: '',
  sendCookies: true,
};

export async function loadOptions(): Promise<ExtensionOptions> {
  const stored = await ext.storage.local.get<{ options?: Partial<ExtensionOptions> }>('options');
  return { ...defaultOptions, ...stored.options };
}

export async function saveOptions(change: Partial<ExtensionOptions>): Promise<ExtensionOptions> {
  const next = { ...(await loadOptions()), ...change };
  await ext.storage.local.set({ options: next });
  return next;
}

/**
 * A pairing code from Haul's Settings ("pair browser"), or what `haul serve` prints: the
 * address with `#token=`. A bare token is accepted too, keeping the address as it is.
 */
export function parsePairCode(code: string): { haulUrl?: string; token: string } | undefined {
  const text = code.trim();
  if (/^https?:\/\//i.test(text)) {
    try {
      const url = new URL(text);
      const token = new URLSearchParams(url.hash.slice(1)).get('token');
      return token ? { haulUrl: url.origin, token } : undefined;
    } catch {
      return undefined;
    }
  }
  return /^[A-Za-z0-9_-]{16,200}$/.test(text) ? { token: text } : undefined;
}
