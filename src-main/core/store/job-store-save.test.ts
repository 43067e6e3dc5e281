import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DownloadJob } from '../../../src-common/contract';
import { downloadJob } from '../../test/job-fixtures';
import { tempDir } from '../../test/temp-dir';
import { watchColumns } from '../../test/watch-columns';
import { openDatabase } from './database';
import { searchText } from './job-filter';
import { JobStore, type StoredJob } from './job-store';

let dir: ReturnType<typeof tempDir> | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});

const stored = (job: DownloadJob, extra: Partial<Omit<StoredJob, 'job'>> = {}): StoredJob & { job: DownloadJob } => ({
  job,
  position: job.position,
  live: true,
  notBefore: null,
  resumeState: null,
  ...extra,
});

describe('saving a job', () => {
  it('given what SQLite holds, writes only the columns that changed, and reads back the same job', () => {
    dir = tempDir();
    const db = openDatabase({ file: join(dir.path, 'h.db') });
    const store = new JobStore(db);
    const first = stored(downloadJob({ id: 'aaaa0001', status: 'pending', position: 3 }));
    store.insert(first);
    const seen = watchColumns(db);

    const progressed = stored({ ...first.job, progress: 40, receivedBytes: 400, updatedAt: 5 });
    store.save(progressed, first);
    expect(seen()).toEqual(['data']);
    const started = stored({ ...progressed.job, status: 'downloading', startedAt: 6, updatedAt: 6 });
    store.save(started, progressed);
    expect(seen().sort()).toEqual(['data', 'status']);
    expect(store.get('aaaa0001')).toEqual(started);
    const row = () => db.prepare(`SELECT * FROM jobs WHERE id = ?`).get('aaaa0001');
    const narrow = row();
    store.save(started);
    expect(row()).toEqual(narrow);
    seen();

    const state = { v: 1, name: 'x' };
    const withState = { ...started, resumeState: state, notBefore: 9 };
    store.save(withState, started);
    expect(store.get('aaaa0001')).toEqual(withState);
    // Without what SQLite holds, everything is written.
    store.save(withState);
    expect(seen().sort()).toEqual(['data', 'data', 'queue', 'status']);
    expect(row()).toMatchObject({ progress: 40, status: 'downloading', not_before: 9 });
    db.close();
  });
});

describe("the columns made from a job's text", () => {
  it('follow a new name and are left alone by a change of status', () => {
    dir = tempDir();
    const db = openDatabase({ file: join(dir.path, 'h.db') });
    const store = new JobStore(db);
    const row = () =>
      db.prepare(`SELECT search, sort_name AS sortName FROM jobs WHERE id = ?`).get('aaaa0001') as {
        search: string;
        sortName: string;
      };
    const first = stored(
      downloadJob({ id: 'aaaa0001', status: 'pending', url: 'https://a.example/get?id=7', fileName: null }),
    );
    store.insert(first);
    expect(row()).toEqual({ search: 'https://a.example/get?id=7', sortName: 'get' });
    const seen = watchColumns(db);
    db.exec(`CREATE TEMP TRIGGER seen_text AFTER UPDATE OF search, sort_name ON jobs
      BEGIN INSERT INTO seen VALUES ('text'); END;`);

    const named = stored({ ...first.job, fileName: 'Part 7.pdf', updatedAt: 5 });
    store.save(named, first);
    expect(row()).toEqual({
      search: 'https://a.example/get?id=7\npart 7.pdf',
      sortName: `part ${'7'.padStart(20, '0')}.pdf`,
    });
    expect(seen().sort()).toEqual(['data', 'text']);
    const started = stored({ ...named.job, status: 'downloading', updatedAt: 6 });
    store.save(started, named);
    expect(seen().sort()).toEqual(['data', 'status']);
    const renamed = stored({ ...started.job, finalUrl: 'https://b.example/Other.pdf', fileName: null, updatedAt: 7 });
    store.save(renamed, started);
    expect(seen().sort()).toEqual(['data', 'text']);
    expect(row()).toEqual({ search: 'https://a.example/get?id=7', sortName: 'other.pdf' });
    const redirected = stored({ ...renamed.job, finalUrl: 'https://c.example/Third.pdf', updatedAt: 8 });
    store.save(redirected, renamed);
    expect(row()).toEqual({ search: 'https://a.example/get?id=7', sortName: 'third.pdf' });
    db.close();
  });
});

describe('the search text of a download', () => {
  it('changes with the name only when the name is not already in the URL', () => {
    const job = downloadJob({ url: 'https://A.example/files/Report%202026.PDF?x=1', fileName: null });
    expect(searchText(job)).toBe('https://a.example/files/report%202026.pdf?x=1');
    expect(searchText({ ...job, fileName: 'Report%202026.pdf' })).toBe(searchText(job));
    expect(searchText({ ...job, fileName: 'Report 2026.pdf' })).toBe(
      'https://a.example/files/report%202026.pdf?x=1\nreport 2026.pdf',
    );
  });

  it('finds a download by its name either way, through the index and through the short-text scan', () => {
    dir = tempDir();
    const db = openDatabase({ file: join(dir.path, 'h.db') });
    const store = new JobStore(db);
    store.insert(stored(downloadJob({ id: 'aaaa0001', url: 'https://a.example/get?id=7', fileName: 'Annual.pdf' })));
    store.insert(
      stored(downloadJob({ id: 'aaaa0002', url: 'https://a.example/x/Annual.pdf', fileName: 'Annual.pdf' })),
    );
    const found = (text: string) =>
      store
        .list({ text })
        .jobs.map((s) => s.job.id)
        .sort();
    expect(found('annual.pdf')).toEqual(['aaaa0001', 'aaaa0002']);
    expect(found('id=7')).toEqual(['aaaa0001']);
    expect(found('x/')).toEqual(['aaaa0002']);
    db.close();
  });
});
