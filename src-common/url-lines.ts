import type { LineProblem } from './errors';

/** One URL of a submitted text, by its 1-based line. */
export interface UrlLine {
  line: number;
  url: string;
}

/**
 * Splits submitted text into URLs, one per line (event-stream API). Blank lines are
 * skipped; anything that is not an absolute http(s) URL is reported by its 1-based line
 * number. The core takes what this takes, and the Add dialog counts with it as you type.
 */
export function parseUrlLines(text: string): { urls: UrlLine[]; invalid: LineProblem[] } {
  const urls: UrlLine[] = [];
  const invalid: LineProblem[] = [];
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
