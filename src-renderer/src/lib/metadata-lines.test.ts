import { describe, expect, it } from 'vitest';
import { metadataLines, metadataLinesMax, metadataValueMax } from './metadata-lines';

describe('metadata lines', () => {
  it('shows every JSON value as text, in the order the creator sent', () => {
    const { lines, more } = metadataLines({
      file: 'IMG_0042.jpg',
      done: 42,
      compress: true,
      nothing: null,
      blank: '',
      tables: ['users', 'posts'],
      nested: { a: { b: 1 } },
    });
    expect(lines.map((l) => [l.key, l.value])).toEqual([
      ['file', 'IMG_0042.jpg'],
      ['done', '42'],
      ['compress', 'true'],
      ['nothing', '—'],
      ['blank', '(empty)'],
      ['tables', '["users","posts"]'],
      ['nested', '{"a":{"b":1}}'],
    ]);
    expect(more).toBe(0);
  });

  it('cuts long values with the whole one kept for the tooltip, and caps the lines', () => {
    const long = 'x'.repeat(5000);
    const [line] = metadataLines({ path: long }).lines;
    expect(line!.value).toHaveLength(metadataValueMax);
    expect(line!.value.endsWith('…')).toBe(true);
    expect(line!.full!.length).toBeLessThanOrEqual(2000);
    const many = Object.fromEntries(Array.from({ length: metadataLinesMax + 5 }, (_, i) => [`k${i}`, i]));
    const out = metadataLines(many);
    expect(out.lines).toHaveLength(metadataLinesMax);
    expect(out.more).toBe(5);
  });

  it('never cuts a character in two', () => {
    for (let pad = 0; pad < 4; pad += 1) {
      const { lines } = metadataLines({ note: 'x'.repeat(pad) + '😀'.repeat(200) });
      const value = lines[0]!.value;
      expect(value.endsWith('…')).toBe(true);
      // No half of a pair left alone: every high surrogate is followed by a low one.
      expect(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value)).toBe(false);
    }
  });

  it('never throws on values JSON cannot write', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const hostile = {
      toJSON: () => {
        throw new Error('no');
      },
    };
    const { lines } = metadataLines({ cyclic, hostile, big: 10n, fn: () => 1 });
    expect(lines.map((l) => l.value)).toEqual(['[unreadable]', '[unreadable]', '10', expect.any(String)]);
    expect(metadataLines(null)).toEqual({ lines: [], more: 0 });
  });
});
