import { describe, expect, it } from 'vitest';
import { defaultOptions, type ExtensionOptions } from './options-store';
import { decide, fileTypeOf, hostMatches, parseList, urlsInText } from './rules';

const options = (change: Partial<ExtensionOptions> = {}): ExtensionOptions => ({ ...defaultOptions, ...change });
const zip = { url: 'https://files.example.com/get?id=1', finalUrl: 'https://cdn.example.net/a/Big%20File.ZIP' };

describe('capture rules', () => {
  it('captures an http(s) download by default and never blob:, data: or ftp: ones', () => {
    expect(decide(zip, options())).toEqual({ capture: true });
    for (const url of ['blob:https://x.test/1', 'data:text/plain,hi', 'ftp://x.test/a.zip']) {
      expect(decide({ url }, options()).capture).toBe(false);
    }
  });

  it('leaves everything to the browser when capture is off', () => {
    expect(decide(zip, options({ capture: false }))).toEqual({ capture: false, reason: 'capture is off' });
  });

  it('keeps small files in the browser only when their size is known', () => {
    const rule = options({ minSizeKb: 100 });
    expect(decide({ ...zip, totalBytes: 99 * 1024 }, rule).capture).toBe(false);
    expect(decide({ ...zip, totalBytes: 100 * 1024 }, rule).capture).toBe(true);
    expect(decide({ ...zip, totalBytes: -1 }, rule).capture).toBe(true);
  });

  it('reads the type from the browser’s name first, then the final URL, then the URL', () => {
    expect(decide({ ...zip, fileName: 'notes.txt' }, options({ skipTypes: ['txt'] })).capture).toBe(false);
    expect(decide(zip, options({ skipTypes: ['zip'] })).capture).toBe(false);
    expect(decide(zip, options({ captureTypes: ['iso'] })).capture).toBe(false);
    expect(decide(zip, options({ captureTypes: ['iso', 'zip'] })).capture).toBe(true);
    expect(decide({ url: 'https://x.test/download' }, options({ captureTypes: ['zip'] }))).toEqual({
      capture: false,
      reason: 'no file type',
    });
  });

  it('skips a site by the download’s host or the page it came from, subdomains included', () => {
    const rule = options({ skipSites: ['example.com'] });
    expect(decide(zip, rule).capture).toBe(false);
    expect(decide({ url: 'https://other.test/a.zip', referrer: 'https://www.example.com/page' }, rule).capture).toBe(
      false,
    );
    expect(decide({ url: 'https://badexample.com/a.zip' }, rule).capture).toBe(true);
  });
});

describe('rule helpers', () => {
  it('parses type lists written any way', () => {
    expect(parseList(' .ZIP, iso;*.mp4\nzip ')).toEqual(['zip', 'iso', 'mp4']);
    expect(parseList('')).toEqual([]);
  });

  it('finds file types in names, paths and URLs', () => {
    expect(fileTypeOf('C:\\Users\\a\\Downloads\\setup.EXE')).toBe('exe');
    expect(fileTypeOf('https://x.test/dir.v2/file?x=a.zip')).toBe('');
    expect(fileTypeOf('https://x.test/a/archive.tar.gz#frag')).toBe('gz');
    expect(fileTypeOf('.bashrc')).toBe('');
  });

  it('matches sites as domains, not as text', () => {
    expect(hostMatches('dl.example.com', 'https://example.com/path')).toBe(true);
    expect(hostMatches('example.com', '*.example.com')).toBe(true);
    expect(hostMatches('example.com.evil.test', 'example.com')).toBe(false);
    expect(hostMatches('example.com', '')).toBe(false);
  });

  it('finds each URL in a selection once, without trailing punctuation', () => {
    const text = 'Get https://a.test/x.zip, or (https://b.test/y.iso). Again: https://a.test/x.zip\nftp://c.test/z';
    expect(urlsInText(text)).toEqual(['https://a.test/x.zip', 'https://b.test/y.iso']);
    expect(urlsInText('no links here')).toEqual([]);
  });
});
