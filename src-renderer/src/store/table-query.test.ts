import { describe, expect, it } from 'vitest';
import { emptyTable, memoizeLast, tabCounts } from './table-query';
import { tableQuery } from './table-slice';

describe('downloads table query', () => {
  it('asks the core for the tab, the search and the sort the user chose', () => {
    expect(tableQuery({ tab: 'all', search: '  ', sort: { key: 'added', desc: true } })).toEqual({
      sort: 'added',
      desc: true,
    });
    expect(tableQuery({ tab: 'failed', search: ' x.org ', sort: { key: 'name', desc: false } })).toEqual({
      statuses: ['failed', 'cancelled'],
      text: 'x.org',
      sort: 'name',
      desc: false,
    });
  });

  it('counts every tab from the per-status counts', () => {
    expect(tabCounts({ downloading: 1, pending: 2, paused: 1, completed: 10, failed: 1, cancelled: 2 })).toEqual({
      all: 17,
      active: 3,
      paused: 1,
      completed: 10,
      failed: 3,
    });
    expect(tabCounts({})).toEqual({ all: 0, active: 0, paused: 0, completed: 0, failed: 0 });
  });

  it('shows an empty table as waiting while its tab counts downloads the next read will bring', () => {
    const counts = tabCounts({ pending: 8 });
    const at = (tab: 'all' | 'completed', search = '') =>
      emptyTable({ ready: true, failed: false, counts, tab, search });
    // A submit's events moved the counts; the rows are not read yet.
    expect(at('all')).toBe('loading');
    expect(at('completed')).toBe('tab-empty');
    expect(at('all', 'nothing')).toBe('no-match');
    expect(emptyTable({ ready: true, failed: false, counts: tabCounts({}), tab: 'all', search: '' })).toBe('first');
    expect(emptyTable({ ready: false, failed: true, counts, tab: 'all', search: '' })).toBe('error');
    expect(emptyTable({ ready: false, failed: false, counts, tab: 'completed', search: '' })).toBe('loading');
  });

  it('recomputes only when an input object changes', () => {
    let calls = 0;
    const count = memoizeLast((c: object) => (calls++, tabCounts(c)));
    const counts = { completed: 1 };
    const first = count(counts);
    expect(count(counts)).toBe(first);
    count({ ...counts });
    expect(calls).toBe(2);
  });
});
