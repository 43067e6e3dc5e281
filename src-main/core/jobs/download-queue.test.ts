import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DownloadQueue } from './download-queue';

type Op = { kind: 'set'; id: number; priority: number; position: number } | { kind: 'delete'; id: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    id: fc.integer({ min: 0, max: 30 }),
    priority: fc.integer({ min: 0, max: 3 }),
    position: fc.integer({ min: -50, max: 200 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), id: fc.integer({ min: 0, max: 30 }) }),
);

/** What the queue must give: every pending job once, higher priority first, then position, then id. */
function expected(pending: Map<string, { priority: number; position: number }>): string[] {
  return [...pending]
    .sort(([a, x], [b, y]) => y.priority - x.priority || x.position - y.position || a.localeCompare(b))
    .map(([id]) => id);
}

describe('the download queue', () => {
  it('reads every pending download once, in start order, whatever came and went', () => {
    fc.assert(
      fc.property(fc.array(fc.array(op, { maxLength: 40 }), { minLength: 1, maxLength: 8 }), (rounds) => {
        const queue = new DownloadQueue();
        const pending = new Map<string, { priority: number; position: number }>();
        for (const ops of rounds) {
          for (const o of ops) {
            const id = `j${o.id}`;
            if (o.kind === 'set') {
              queue.set(id, o.priority, o.position);
              pending.set(id, { priority: o.priority, position: o.position });
            } else {
              queue.delete(id);
              pending.delete(id);
            }
          }
          const read = [...queue.ids()];
          expect(queue.size).toBe(pending.size);
          expect(new Set(read).size).toBe(read.length);
          // Jobs that tie on priority and position may come in either order: compare the keys.
          const key = (id: string) => `${pending.get(id)!.priority}:${pending.get(id)!.position}`;
          expect(read.map(key)).toEqual(expected(pending).map(key));
          expect([...read].sort()).toEqual([...pending.keys()].sort());
        }
      }),
    );
  });

  it('a long queue read for its first few, as jobs start one by one, stays in order', () => {
    const queue = new DownloadQueue();
    for (let i = 0; i < 1000; i += 1) queue.set(`j${i}`, 0, i);
    queue.set('urgent', 5, 2000);
    const started: string[] = [];
    for (let round = 0; round < 10; round += 1) {
      const next = queue.ids().next();
      if (next.done) break;
      started.push(next.value);
      queue.delete(next.value);
    }
    expect(started).toEqual(['urgent', 'j0', 'j1', 'j2', 'j3', 'j4', 'j5', 'j6', 'j7', 'j8']);
    expect(queue.size).toBe(991);
  });
});
