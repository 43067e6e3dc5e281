import { describe, expect, it } from 'vitest';
import { parseUrlLines, submittedDownloads } from './submit';

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

describe('submittedDownloads', () => {
  const at = (activeUrls: Record<string, string> = {}) => {
    let ids = 0;
    return {
      now: 5000,
      firstPosition: 40,
      newId: () => `0000000${(ids += 1)}`,
      activeDownloadOf: (url: string) => activeUrls[url],
      defaults: { maxAttempts: 5, dir: '/downloads' },
    };
  };

  it('refuses a URL on an earlier line and one already downloading; the rest keep their order', () => {
    const text = [
      'https://a.example/1',
      'https://a.example/2',
      'https://a.example/1',
      'not a url',
      'https://a.example/busy',
      'https://a.example/3',
    ].join('\n');
    const input = { url: text, idempotencyKey: 'batch' };
    const { jobs, refused } = submittedDownloads(
      input,
      parseUrlLines(text),
      at({ 'https://a.example/busy': 'beef0001' }),
    );
    expect(jobs.map((j) => [j.url, j.position, j.idempotencyKey])).toEqual([
      ['https://a.example/1', 40, 'batch'],
      ['https://a.example/2', 41, 'batch#2'],
      // Keys and positions count the jobs made: the refused lines leave no gap.
      ['https://a.example/3', 42, 'batch#3'],
    ]);
    expect(refused.map((r) => [r.line, r.message, r.duplicate])).toEqual([
      [4, 'not a URL', undefined],
      [3, 'the same URL is on an earlier line', true],
      [5, 'already in the list as job beef0001', true],
    ]);
  });

  it('takes every line again with force', () => {
    const text = 'https://a.example/1\nhttps://a.example/1';
    const { jobs, refused } = submittedDownloads(
      { url: text, force: true },
      parseUrlLines(text),
      at({ 'https://a.example/1': 'beef0001' }),
    );
    expect(jobs).toHaveLength(2);
    expect(refused).toEqual([]);
  });

  it('answers a lone URL already in the list with a conflict', () => {
    const text = 'https://a.example/busy';
    expect(() =>
      submittedDownloads({ url: text }, parseUrlLines(text), at({ 'https://a.example/busy': 'beef0001' })),
    ).toThrow(expect.objectContaining({ kind: 'conflict' }));
  });
});
