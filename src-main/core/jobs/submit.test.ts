import { describe, expect, it } from 'vitest';
import { parseUrlLines } from './submit';

describe('parseUrlLines', () => {
  it('takes one URL per line, skipping blank lines and trimming', () => {
    expect(parseUrlLines('  https://a.example/x \n\nhttp://b.example/y\r\n')).toEqual({
      urls: [
        { line: 1, url: 'https://a.example/x' },
        { line: 3, url: 'http://b.example/y' },
      ],
      invalid: [],
    });
  });

  it('reports bad lines by number and keeps the good ones', () => {
    const { urls, invalid } = parseUrlLines(
      'https://ok.example/\nnot a url\nftp://files.example/a\nfile:///etc/passwd',
    );
    expect(urls.map((u) => u.line)).toEqual([1]);
    expect(invalid).toEqual([
      { line: 2, text: 'not a url', message: 'not a URL' },
      { line: 3, text: 'ftp://files.example/a', message: 'only http and https are supported, not ftp:' },
      { line: 4, text: 'file:///etc/passwd', message: 'only http and https are supported, not file:' },
    ]);
  });
});
