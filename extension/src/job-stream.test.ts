import { describe, expect, it } from 'vitest';
import type { DownloadJob, JobEvent } from '../../src-common/contract';
import { applyEvent, SseSplitter } from './job-stream';

const job = (id: string, status: DownloadJob['status']) => ({ id, status }) as DownloadJob;

describe('the event stream', () => {
  it('splits frames fed in any pieces, with CRLF, comments and multi-line data', () => {
    const text = ': hello\r\n\r\nid: 1\r\nevent: added\r\ndata: {"a":\r\ndata: 1}\r\n\r\nevent: removed\ndata: {}\n\n';
    const whole = new SseSplitter().feed(text);
    expect(whole).toEqual([
      { event: 'added', data: '{"a":\n1}' },
      { event: 'removed', data: '{}' },
    ]);
    const splitter = new SseSplitter();
    const pieces = [...text].flatMap((char) => splitter.feed(char));
    expect(pieces).toEqual(whole);
  });

  it('keeps the live list: init replaces, added and updated set, removed deletes', () => {
    const jobs = new Map<string, DownloadJob>([['old', job('old', 'completed')]]);
    const events: JobEvent[] = [
      { event: 'init', data: { jobs: [job('a', 'pending')], actionJobs: [], tasks: [] } },
      { event: 'added', data: { type: 'added', job: job('b', 'pending') } },
      { event: 'updated', data: { type: 'updated', job: job('a', 'downloading') } },
      { event: 'removed', data: { type: 'removed', job: job('b', 'pending') } },
    ];
    for (const event of events) applyEvent(jobs, event);
    expect([...jobs.values()]).toEqual([job('a', 'downloading')]);
  });
});
