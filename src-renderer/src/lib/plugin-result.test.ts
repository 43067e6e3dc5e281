import { describe, expect, it } from 'vitest';
import { dataRows, jobResultParts } from './plugin-result';

describe('plugin results', () => {
  it('reads the message and data of an action result', () => {
    expect(jobResultParts({ success: true, message: 'ok', data: { n: 1 } })).toEqual({ message: 'ok', data: { n: 1 } });
  });

  it('shows a plugin’s own fields beside its message as the data', () => {
    const parts = jobResultParts({ algorithm: 'sha256', digest: 'ab12', message: 'SHA-256: ab12' });
    expect(parts).toEqual({ message: 'SHA-256: ab12', data: { algorithm: 'sha256', digest: 'ab12' } });
    expect(dataRows(parts.data)).toEqual([
      ['algorithm', 'sha256'],
      ['digest', 'ab12'],
    ]);
  });

  it('shows plain and nested values as one row of text', () => {
    expect(dataRows('abc')).toEqual([['Result', 'abc']]);
    expect(dataRows({ list: [1, 2] })).toEqual([['list', '[1,2]']]);
    expect(dataRows(null)).toEqual([]);
    expect(jobResultParts(null)).toEqual({ message: '', data: null });
  });
});
