import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  doneBytes,
  formatRange,
  parseContentRange,
  restoreSegments,
  sortSegments,
  splitSegment,
  wholeFile,
  type Segment,
} from './segments';

/** Asserts the invariant: sorted, disjoint, covering [0, total), each pos within its segment. */
function expectCover(segments: Segment[], total: number): void {
  let at = 0;
  for (const s of segments) {
    expect(s.start).toBe(at);
    expect(s.end).not.toBeNull();
    expect(s.end!).toBeGreaterThan(s.start);
    expect(s.pos).toBeGreaterThanOrEqual(s.start);
    expect(s.pos).toBeLessThanOrEqual(s.end!);
    at = s.end!;
  }
  expect(at).toBe(total);
}

describe('range arithmetic', () => {
  it('splits never lose, repeat or move a written byte', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e12 }),
        fc.array(fc.tuple(fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), fc.nat({ max: 1000 })), {
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 1e6 }),
        (total, steps, minBytes) => {
          let segments = wholeFile(total);
          for (const [pick, progress, busy] of steps) {
            const segment = segments[pick % segments.length]!;
            // Some bytes get written before the next split.
            segment.pos += Math.floor((segment.end! - segment.pos) * progress);
            const done = doneBytes(segments);
            const tail = splitSegment(segment, minBytes, Math.min(busy, segment.end! - segment.pos));
            if (tail) {
              expect(tail.start - segment.pos).toBeGreaterThanOrEqual(minBytes);
              expect(tail.end! - tail.start).toBeGreaterThanOrEqual(minBytes);
              segments = sortSegments([...segments, tail]);
            }
            expect(doneBytes(segments)).toBe(done);
            expectCover(segments, total);
          }
        },
      ),
    );
  });

  it('formats and parses Content-Range consistently', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 2 ** 50 }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.nat({ max: 2 ** 40 }),
        (start, length, extra) => {
          const end = start + length;
          const total = end + extra;
          const asked = formatRange(start, end);
          const [, a, b] = /^bytes=(\d+)-(\d+)$/.exec(asked)!;
          expect(parseContentRange(`bytes ${a}-${b}/${total}`)).toEqual({ satisfied: true, start, end, total });
          expect(parseContentRange(`bytes ${a}-${b}/*`)).toEqual({ satisfied: true, start, end, total: null });
        },
      ),
    );
  });

  it.each(['bytes 5-3/10', 'bytes 0-10/10', 'bytes=0-1/2', 'items 0-1/2', 'bytes 0-1/x', '', 'bytes -1-2/3'])(
    'refuses a malformed Content-Range %j',
    (value) => {
      expect(parseContentRange(value)).toBeNull();
    },
  );

  it('reads a 416 Content-Range', () => {
    expect(parseContentRange('bytes */1234')).toEqual({ satisfied: false, total: 1234 });
  });

  it('formats an open range when the end is unknown', () => {
    expect(formatRange(100, null)).toBe('bytes=100-');
  });

  it('restores saved segments, trusting only bytes the file holds', () => {
    const saved = [
      { start: 0, end: 100, pos: 100 },
      { start: 100, end: 200, pos: 180 },
      { start: 200, end: 300, pos: 250 },
    ];
    expect(restoreSegments(saved, 300, 190)).toEqual([
      { start: 0, end: 100, pos: 100 },
      { start: 100, end: 200, pos: 180 },
      { start: 200, end: 300, pos: 200 },
    ]);
    expect(restoreSegments(saved, 400, 300)).toBeNull();
    expect(restoreSegments([{ start: 0, end: 10, pos: 11 }], 10, 10)).toBeNull();
    expect(restoreSegments([{ start: 1, end: 10, pos: 1 }], 10, 10)).toBeNull();
  });
});
