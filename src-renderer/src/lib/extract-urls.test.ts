import { describe, expect, it } from 'vitest';
import { extractUrls, parseUriList } from './extract-urls';

describe('URLs from dropped or pasted text', () => {
  it('finds URLs anywhere in prose and trims the sentence around them', () => {
    const text = 'Get https://example.com/a.zip, then (see http://mirror.org/b.iso). Done!';
    expect(extractUrls(text)).toEqual(['https://example.com/a.zip', 'http://mirror.org/b.iso']);
  });

  it('keeps brackets that belong to the URL', () => {
    expect(extractUrls('https://en.wikipedia.org/wiki/Rust_(language)')).toEqual([
      'https://en.wikipedia.org/wiki/Rust_(language)',
    ]);
  });

  it('drops duplicates and non-http schemes, keeps order', () => {
    const text = 'ftp://x.org/f https://b.org/2\nhttps://a.org/1\nhttps://b.org/2';
    expect(extractUrls(text)).toEqual(['https://b.org/2', 'https://a.org/1']);
  });

  it('reads a text/uri-list, skipping its comments', () => {
    const list = '# from a browser\r\nhttps://a.org/1\r\nhttps://a.org/2\r\n';
    expect(parseUriList(list)).toEqual(['https://a.org/1', 'https://a.org/2']);
  });

  it('finds nothing in text without URLs', () => {
    expect(extractUrls('just some words')).toEqual([]);
    expect(parseUriList('')).toEqual([]);
  });
});
