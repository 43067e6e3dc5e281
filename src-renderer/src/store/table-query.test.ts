import { describe, expect, it } from 'vitest';
import { memoizeLast, tabCounts, visibleIds, type TableQuery } from './table-query';
import { downloadJob } from './test-jobs';

const downloads = Object.fromEntries(
  [
    downloadJob({ id: 'aaaaaaaa', fileName: 'movie.mkv', status: 'downloading', createdAt: 3, totalBytes: 900 }),
    downloadJob({ id: 'bbbbbbbb', fileName: 'Notes.pdf', status: 'completed', createdAt: 1, totalBytes: 10 }),
    downloadJob({ id: 'cccccccc', url: 'https://x.org/dist/app.iso', status: 'failed', createdAt: 2 }),
    downloadJob({ id: 'dddddddd', fileName: 'b.zip', status: 'paused', createdAt: 4, priority: 5 }),
  ].map((job) => [job.id, job]),
);

const query = (fields: Partial<TableQuery>): TableQuery => ({
  tab: 'all',
  search: '',
  sort: { key: 'added', desc: true },
  ...fields,
});

describe('downloads table query', () => {
  it('sorts newest first by default', () => {
    expect(visibleIds(downloads, query({}))).toEqual(['dddddddd', 'aaaaaaaa', 'cccccccc', 'bbbbbbbb']);
  });

  it('filters by tab and by text in the name or the URL', () => {
    expect(visibleIds(downloads, query({ tab: 'failed' }))).toEqual(['cccccccc']);
    expect(visibleIds(downloads, query({ search: 'NOTES' }))).toEqual(['bbbbbbbb']);
    expect(visibleIds(downloads, query({ search: 'x.org/dist' }))).toEqual(['cccccccc']);
  });

  it('sorts by name naturally, and by size with unknown sizes first', () => {
    const byName = visibleIds(downloads, query({ sort: { key: 'name', desc: false } }));
    expect(byName).toEqual(['cccccccc', 'dddddddd', 'aaaaaaaa', 'bbbbbbbb']);
    const bySize = visibleIds(downloads, query({ sort: { key: 'size', desc: false } }));
    expect(bySize.slice(2)).toEqual(['bbbbbbbb', 'aaaaaaaa']);
  });

  it('puts higher priority first in queue order', () => {
    expect(visibleIds(downloads, query({ sort: { key: 'queue', desc: false } }))[0]).toBe('dddddddd');
  });

  it('counts every tab', () => {
    expect(tabCounts(downloads)).toEqual({ all: 4, active: 1, paused: 1, completed: 1, failed: 1 });
  });

  it('recomputes only when an input object changes', () => {
    let calls = 0;
    const select = memoizeLast((d: object, q: TableQuery) => (calls++, visibleIds(d as typeof downloads, q)));
    const q = query({});
    const first = select(downloads, q);
    expect(select(downloads, q)).toBe(first);
    select({ ...downloads }, q);
    expect(calls).toBe(2);
  });
});
