import { beforeEach, describe, expect, it, vi } from 'vitest';
import { baseName, siteOf, submitInput } from './hand-over';
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
          { name: 'session', value: 'abc', sameSite: 'lax' },
          { name: 'theme', value: 'dark', sameSite: 'no_restriction' },
          { name: 'csrf', value: 'xyz', sameSite: 'strict' },
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
    const input = await submitInput(
      { url: 'https://a.test/f.zip', referrer: 'https://a.test/page', fileName: 'f.zip' },
      defaultOptions,
    );
    expect(input.headers?.Cookie).toBe('session=abc; theme=dark; csrf=xyz');
    expect(input.fileName).toBe('f.zip');
    expect(browser.cookieReads).toEqual(['https://a.test/f.zip']);

    const off = await submitInput({ url: 'https://a.test/g.zip' }, { ...defaultOptions, sendCookies: false });
    expect(off.headers?.Cookie).toBeUndefined();
  });

  it('sends SameSite=Strict cookies only to a link followed on the same site, as the browser would', async () => {
    browser.granted = true;
    const cookie = async (url: string, referrer?: string, via: (string | undefined)[] = []) =>
      (await submitInput({ url, ...(referrer === undefined ? {} : { referrer }), via }, defaultOptions)).headers
        ?.Cookie;
    const all = 'session=abc; theme=dark; csrf=xyz';
    const withoutStrict = 'session=abc; theme=dark';
    // Another subdomain of the same registrable domain is the same site.
    expect(await cookie('https://files.example.co.uk/f.zip', 'https://www.example.co.uk/')).toBe(all);
    // Another site's page, or one that sends no referrer, gets no Strict cookies.
    expect(await cookie('https://bank.example/export?to=me', 'https://attacker.example/')).toBe(withoutStrict);
    expect(await cookie('https://bank.example/export?to=me')).toBe(withoutStrict);
    expect(await cookie('https://bank.example/export?to=me', '')).toBe(withoutStrict);
    // Sites are schemeful, and the public suffix list's private part counts.
    expect(await cookie('https://a.test/f.zip', 'http://a.test/')).toBe(withoutStrict);
    expect(await cookie('https://alice.github.io/f.zip', 'https://mallory.github.io/')).toBe(withoutStrict);
    // A redirect from another site, or a link in another site's frame, is cross-site too.
    expect(await cookie('https://a.test/f.zip', 'https://a.test/', ['https://short.example/x'])).toBe(withoutStrict);
    expect(await cookie('https://a.test/f.zip', 'https://a.test/', [undefined])).toBe(all);
  });

  it('weighs a URL by its scheme and registrable domain', () => {
    expect(siteOf('https://files.example.co.uk:8443/a')).toBe('https://example.co.uk');
    expect(siteOf('http://127.0.0.1:8080/a')).toBe('http://127.0.0.1');
    expect(siteOf('http://localhost/a')).toBe('http://localhost');
    expect(siteOf('chrome://newtab/')).toBeUndefined();
    expect(siteOf('not a url')).toBeUndefined();
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
    // Invisible characters in front do not keep a dot file: they are what hid it.
    expect(baseName('/home/me/Downloads/\u200b.bashrc')).toBe('bashrc');
    expect(baseName('/home/me/Downloads/\ufeff\u200e.profile')).toBe('profile');
    // As the engine names the file: a bidi override inside the name is dropped too.
    expect(baseName('/tmp/invoice\u202egpj.exe')).toBe('invoicegpj.exe');
    expect(baseName('')).toBeUndefined();
    expect(baseName(undefined)).toBeUndefined();
  });
});
