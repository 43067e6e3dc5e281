import { beforeEach, describe, expect, it, vi } from 'vitest';
import { baseName, submitInput } from './hand-over';
import { defaultOptions } from './options-store';

// The browser's side, as the extension sees it: whether the cookie permission is granted,
// and the cookies it would send. Hoisted: the modules read the API when they load.
const browser = vi.hoisted(() => {
  const state = { granted: false, cookieReads: [] as string[] };
  vi.stubGlobal('navigator', { userAgent: 'TestBrowser/1.0' });
  vi.stubGlobal('chrome', {
    permissions: { contains: async () => state.granted },
    cookies: {
      getAll: async ({ url }: { url: string }) => {
        state.cookieReads.push(url);
        return [
          { name: 'session', value: 'abc' },
          { name: 'theme', value: 'dark' },
        ];
      },
    },
  });
  return state;
});

beforeEach(() => {
  browser.granted = false;
  browser.cookieReads.length = 0;
});

describe('what Haul is given', () => {
  it('sends no cookies, and reads none, without the user’s permission', async () => {
    const input = await submitInput({ url: 'https://a.test/f.zip', referrer: 'https://a.test/' }, defaultOptions);
    expect(input).toEqual({
      url: 'https://a.test/f.zip',
      headers: { 'User-Agent': 'TestBrowser/1.0', Referer: 'https://a.test/' },
    });
    expect(browser.cookieReads).toEqual([]);
  });

  it('sends the cookies for that URL once allowed, unless the option is off', async () => {
    browser.granted = true;
    const input = await submitInput({ url: 'https://a.test/f.zip', fileName: 'f.zip' }, defaultOptions);
    expect(input.headers?.Cookie).toBe('session=abc; theme=dark');
    expect(input.fileName).toBe('f.zip');
    expect(browser.cookieReads).toEqual(['https://a.test/f.zip']);

    const off = await submitInput({ url: 'https://a.test/g.zip' }, { ...defaultOptions, sendCookies: false });
    expect(off.headers?.Cookie).toBeUndefined();
  });

  it('passes on only http(s) referrers', async () => {
    const input = await submitInput({ url: 'https://a.test/f.zip', referrer: 'chrome://newtab/' }, defaultOptions);
    expect(input.headers?.Referer).toBeUndefined();
  });

  it('keeps the last segment of a browser path as the file name', () => {
    expect(baseName('/home/me/Downloads/a b.zip')).toBe('a b.zip');
    expect(baseName('C:\\Users\\me\\Downloads\\setup.exe')).toBe('setup.exe');
    expect(baseName('/home/me/Downloads/.bashrc')).toBe('bashrc');
    expect(baseName('/home/me/Downloads/ ..')).toBeUndefined();
    expect(baseName('')).toBeUndefined();
    expect(baseName(undefined)).toBeUndefined();
  });
});
