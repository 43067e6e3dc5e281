import { afterEach, describe, expect, it } from 'vitest';
import { openTestCenter, settle, type TestCenter } from '../../test/job-kit';

let t: TestCenter | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

describe('picking the next downloads', () => {
  it('starts the free slots with the highest priorities, then the earliest in the queue', async () => {
    t = openTestCenter();
    const priorities = [0, 5, 0, 9, 5, 0, 9, 1];
    const ids = priorities.map(
      (priority, i) => t!.center.submit({ url: `https://a.example/${i}.bin`, priority, paused: true }).jobs[0]!.id,
    );
    const started = () => t!.engine.running().map((a) => ids.indexOf(a.context.job.id));
    await t.center.resumeAll();
    expect(started()).toEqual([3, 6, 1]);
    for (const attempt of t.engine.running()) attempt.succeed();
    await settle();
    expect(started()).toEqual([4, 7, 0]);
    t.center.pause(ids[2]!);
    for (const attempt of t.engine.running()) attempt.succeed();
    await settle();
    expect(started()).toEqual([5]);
  });
});
