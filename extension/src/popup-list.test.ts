import { describe, expect, it } from 'vitest';
import type { DownloadJob } from '../../src-common/contract';
import { popupList, shownActive, shownFinished } from './popup-list';

const job = (id: number, status: DownloadJob['status']) =>
  ({ id: `job${id}`, status, createdAt: id }) as unknown as DownloadJob;

describe("the popup's list", () => {
  it('lists what moves first, then what waits, then what is paused, then the last finished', () => {
    const { shown, more } = popupList([
      job(1, 'downloading'),
      job(2, 'pending'),
      job(3, 'paused'),
      job(4, 'completed'),
      job(5, 'pending'),
      job(6, 'failed'),
    ]);
    expect(shown.map((j) => j.id)).toEqual(['job1', 'job5', 'job2', 'job3', 'job6', 'job4']);
    expect(more).toBe(0);
  });

  it('caps a queue of ten thousand and counts the rest, keeping the running ones in view', () => {
    const jobs = [
      ...Array.from({ length: 9997 }, (_, i) => job(100 + i, 'pending')),
      job(1, 'downloading'),
      job(2, 'downloading'),
      job(3, 'downloading'),
      ...Array.from({ length: 20 }, (_, i) => job(20_000 + i, 'completed')),
    ];
    const { shown, more } = popupList(jobs);
    expect(shown).toHaveLength(shownActive + shownFinished);
    expect(shown.slice(0, 3).map((j) => j.status)).toEqual(['downloading', 'downloading', 'downloading']);
    expect(more).toBe(10_000 - shownActive);
  });
});
