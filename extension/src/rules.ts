/** The user's capture rules, as pure functions: what goes to Haul and what stays in the browser. */
import type { ExtensionOptions } from './options-store';

export interface Candidate {
  url: string;
  finalUrl?: string;
  /** The name the browser chose, when it has one yet (Firefox does at once, Chromium later). */
  fileName?: string;
  /** The page the download came from. */
  referrer?: string;
  /** Bytes, when the server said; -1 or 0 when unknown. */
  totalBytes?: number;
}

export type Verdict = { capture: true } | { capture: false; reason: string };

/** "zip, .ISO  exe" -> ['zip', 'iso', 'exe']: commas, spaces or lines, dots optional. */
export function parseList(text: string): string[] {
  const items = text
    .split(/[\s,;]+/)
    .map((item) =>
      item
        .trim()
        .replace(/^\*?\./, '')
        .toLowerCase(),
    )
    .filter((item) => item.length > 0);
  return [...new Set(items)];
}

/** The file type (extension, lower case) of a name or a URL's last path segment. */
export function fileTypeOf(nameOrUrl: string): string {
  let name = nameOrUrl;
  try {
    name = decodeURIComponent(new URL(nameOrUrl).pathname);
  } catch {
    // not a URL: a file name or a path
  }
  const base = name.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** `example.com` matches example.com and any subdomain of it, never `badexample.com`. */
export function hostMatches(host: string, site: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const s = site
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/[/:].*$/, '')
    .replace(/^\*\./, '');
  return s.length > 0 && (h === s || h.endsWith(`.${s}`));
}

function hostOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).hostname : undefined;
  } catch {
    return undefined;
  }
}

/** Decides one download. The order matters only for the reason shown on the badge. */
export function decide(candidate: Candidate, options: ExtensionOptions): Verdict {
  if (!options.capture) return { capture: false, reason: 'capture is off' };
  const url = candidate.finalUrl || candidate.url;
  if (!/^https?:/i.test(url)) return { capture: false, reason: 'not an http(s) link' };
  const size = candidate.totalBytes ?? -1;
  if (options.minSizeKb > 0 && size > 0 && size < options.minSizeKb * 1024) {
    return { capture: false, reason: 'smaller than the minimum size' };
  }
  const type = fileTypeOf(candidate.fileName || url) || fileTypeOf(candidate.url);
  if (options.skipTypes.includes(type)) return { capture: false, reason: `.${type} files are skipped` };
  if (options.captureTypes.length > 0 && !options.captureTypes.includes(type)) {
    return { capture: false, reason: type ? `.${type} is not in the types to capture` : 'no file type' };
  }
  const hosts = [hostOf(candidate.url), hostOf(candidate.finalUrl), hostOf(candidate.referrer)];
  const skipped = options.skipSites.find((site) => hosts.some((h) => h !== undefined && hostMatches(h, site)));
  if (skipped) return { capture: false, reason: `${skipped} is skipped` };
  return { capture: true };
}

/** Every http(s) URL in a piece of text (a selection), in order, once each. */
export function urlsInText(text: string): string[] {
  const found = text.match(/https?:\/\/[^\s<>"'`]+/gi) ?? [];
  const cleaned = found.map((url) => url.replace(/[.,;:!?)\]}]+$/, ''));
  return [...new Set(cleaned.filter((url) => URL.canParse(url)))];
}
