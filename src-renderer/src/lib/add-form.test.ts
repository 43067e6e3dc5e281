import { describe, expect, it } from 'vitest';
import { emptyAddFields, keepRejectedLines, lineErrorsOf, parseHeaders, toSubmitInput } from './add-form';

describe('Add dialog form', () => {
  it('builds the submit input from the filled fields only', () => {
    const { input } = toSubmitInput({
      ...emptyAddFields,
      urls: 'https://a.org/1\nhttps://a.org/2',
      connections: '4',
      checksumAlgorithm: 'sha256',
      checksumValue: 'ABCDEF01'.repeat(8),
      headers: 'Referer: https://a.org/\nX-Token: a:b',
      paused: true,
    });
    expect(input).toEqual({
      url: 'https://a.org/1\nhttps://a.org/2',
      connections: 4,
      checksum: { algorithm: 'sha256', value: 'ABCDEF01'.repeat(8) },
      headers: { Referer: 'https://a.org/', 'X-Token': 'a:b' },
      paused: true,
    });
  });

  it('names the field that is wrong', () => {
    const { input, errors } = toSubmitInput({
      ...emptyAddFields,
      connections: '40',
      checksumAlgorithm: 'md5',
      checksumValue: 'xyz',
    });
    expect(input).toBeUndefined();
    expect(Object.keys(errors).sort()).toEqual(['checksumValue', 'connections', 'urls']);
  });

  it('refuses a digest of the wrong length for its algorithm, saying what it should be', () => {
    const wrong = (checksumAlgorithm: 'sha256' | 'sha1' | 'md5', checksumValue: string) =>
      toSubmitInput({ ...emptyAddFields, urls: 'https://ok.org/1', checksumAlgorithm, checksumValue }).errors
        .checksumValue;
    expect(wrong('sha256', '0123456789abcdef')).toBe(
      'The expected digest: a SHA-256 digest is 64 hexadecimal characters, not 16.',
    );
    expect(wrong('sha1', 'ab'.repeat(16))).toMatch(/SHA-1 digest is 40/);
    expect(wrong('md5', 'ab'.repeat(16))).toBeUndefined();
    expect(wrong('md5', 'zz'.repeat(16))).toBe('The expected digest: must be hexadecimal.');
  });

  it('refuses a header line without a name', () => {
    expect(parseHeaders('no colon here').error).toMatch(/Line 1/);
  });

  it('keeps only the rejected lines, renumbered', () => {
    const text = 'https://ok.org/1\nnot a url\nhttps://ok.org/2\nftp://x/y';
    const result = keepRejectedLines(text, [
      { line: 4, message: 'only http and https are supported, not ftp:' },
      { line: 3, message: 'already in the list as job 0000beef', duplicate: true },
      { line: 2, message: 'not a URL' },
    ]);
    expect(result.text).toBe('not a url\nhttps://ok.org/2\nftp://x/y');
    expect(result.errors).toEqual([
      { line: 1, message: 'not a URL' },
      { line: 2, message: 'already in the list as job 0000beef', duplicate: true },
      { line: 3, message: 'only http and https are supported, not ftp:' },
    ]);
  });

  it('marks every line a refused submit names in its details, and nothing for other errors', () => {
    const refused = {
      kind: 'invalid_input' as const,
      message: 'url: line 1: not a URL',
      details: {
        field: 'url',
        lines: [
          { line: 1, text: 'nope', message: 'not a URL' },
          { line: 3, text: 'ftp://x', message: 'only http and https are supported, not ftp:' },
          {
            line: 4,
            text: 'https://ok.org/1',
            message: 'the same URL is on an earlier line',
            duplicate: true as const,
          },
        ],
      },
    };
    expect(lineErrorsOf(refused)).toEqual([
      { line: 1, message: 'not a URL' },
      { line: 3, message: 'only http and https are supported, not ftp:' },
      { line: 4, message: 'the same URL is on an earlier line', duplicate: true },
    ]);
    expect(lineErrorsOf({ kind: 'conflict', message: 'url: line 2: looks like a line' })).toEqual([]);
    expect(lineErrorsOf({ kind: 'invalid_input', message: 'x', details: { field: 'headers.Cookie' } })).toEqual([]);
  });
});
