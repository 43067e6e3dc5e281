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
    expect(visibleIds(downloads, {}, query({}))).toEqual(['dddddddd', 'aaaaaaaa', 'cccccccc', 'bbbbbbbb']);
  });

  it('filters by tab and by text in the name or the URL', () => {
    expect(visibleIds(downloads, {}, query({ tab: 'failed' }))).toEqual(['cccccccc']);
    expect(visibleIds(downloads, {}, query({ search: 'NOTES' }))).toEqual(['bbbbbbbb']);
    expect(visibleIds(downloads, {}, query({ search: 'x.org/dist' }))).toEqual(['cccccccc']);
  });

  it('sorts by name naturally, and by size with unknown sizes first', () => {
    const byName = visibleIds(downloads, {}, query({ sort: { key: 'name', desc: false } }));
    expect(byName).toEqual(['cccccccc', 'dddddddd', 'aaaaaaaa', 'bbbbbbbb']);
    const bySize = visibleIds(downloads, {}, query({ sort: { key: 'size', desc: false } }));
    expect(bySize.slice(2)).toEqual(['bbbbbbbb', 'aaaaaaaa']);
  });

  it('puts higher priority first in queue order, then the smaller position', () => {
    const queued = Object.fromEntries(
      [
        downloadJob({ id: 'aaaaaaaa', position: 3, createdAt: 1 }),
        downloadJob({ id: 'bbbbbbbb', position: 1, createdAt: 2 }),
        downloadJob({ id: 'cccccccc', position: 9, priority: 1, createdAt: 3 }),
        downloadJob({ id: 'dddddddd', position: 2, createdAt: 4 }),
      ].map((job) => [job.id, job]),
    );
    const order = visibleIds(queued, {}, query({ sort: { key: 'queue', desc: false } }));
    expect(order).toEqual(['cccccccc', 'bbbbbbbb', 'dddddddd', 'aaaaaaaa']);
  });

  it('shows history rows the live list lacks, and the live job over its own history row', () => {
    const history = {
      aaaaaaaa: downloadJob({ id: 'aaaaaaaa', status: 'failed', createdAt: 3 }),
      eeeeeeee: downloadJob({ id: 'eeeeeeee', status: 'completed', createdAt: 0 }),
    };
    expect(visibleIds(downloads, history, query({}))).toEqual([
      'dddddddd',
      'aaaaaaaa',
      'cccccccc',
      'bbbbbbbb',
      'eeeeeeee',
    ]);
    // The stale history row says failed; the live job is downloading, and only that counts.
    expect(visibleIds(downloads, history, query({ tab: 'failed' }))).toEqual(['cccccccc']);
    expect(visibleIds(downloads, history, query({ tab: 'completed' }))).toEqual(['bbbbbbbb', 'eeeeeeee']);
  });

  it('counts every tab, live jobs plus those only in history', () => {
    expect(tabCounts(downloads)).toEqual({ all: 4, active: 1, paused: 1, completed: 1, failed: 1 });
    expect(tabCounts(downloads, { completed: 10, cancelled: 2 })).toEqual({
      all: 16,
      active: 1,
      paused: 1,
      completed: 11,
      failed: 3,
    });
  });

  it('recomputes only when an input object changes', () => {
    let calls = 0;
    const select = memoizeLast((d: object, q: TableQuery) => (calls++, visibleIds(d as typeof downloads, {}, q)));
    const q = query({});
    const first = select(downloads, q);
    expect(select(downloads, q)).toBe(first);
    select({ ...downloads }, q);
    expect(calls).toBe(2);
  });
});
