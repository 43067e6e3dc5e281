import { describe, expect, it } from 'vitest';
import type { Job } from '../../../src-common/contract';
import { ManualClock } from '../clock';
import { settle } from '../../test/job-kit';
import { GroupedCommits } from './grouped-commits';

/** Commits that record their batches; each call's job is a stand-in carrying its number. */
function recording(clock: ManualClock) {
  const batches: number[][] = [];
  const grouped = new GroupedCommits<number>(
    (calls) => {
      batches.push(calls);
      return calls.map((n) => ({ id: String(n) }) as Job);
    },
    (n) => ({ id: String(n) }) as Job,
    clock,
  );
  return { grouped, batches };
}

describe('grouped commits', () => {
  it("commits a window's calls when it ends, or with a call of the turn, whichever comes first", async () => {
    const clock = new ManualClock();
    const { grouped, batches } = recording(clock);
    const first = grouped.add(1, 20);
    await settle();
    clock.advance(10);
    void grouped.add(2, 20);
    await settle();
    expect(batches).toEqual([]);
    clock.advance(10);
    expect(batches).toEqual([[1, 2]]);
    await expect(first).resolves.toEqual({ id: '1' });

    void grouped.add(3, 20);
    clock.advance(5);
    void grouped.add(4);
    await settle();
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    // The window's timer went with that commit: a call after it waits its own window.
    clock.advance(5);
    void grouped.add(5, 20);
    clock.advance(10);
    expect(batches).toHaveLength(2);
    clock.advance(10);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('commits at the end of the turn once 64 calls wait, window or not', async () => {
    const clock = new ManualClock();
    const { grouped, batches } = recording(clock);
    for (let n = 1; n <= 64; n += 1) void grouped.add(n, 20);
    await settle();
    expect(batches).toEqual([Array.from({ length: 64 }, (_, i) => i + 1)]);
  });
});
