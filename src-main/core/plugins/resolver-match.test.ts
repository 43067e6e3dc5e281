import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldCase, lowerAscii } from './fold-case';
import { resolverMayMatch } from './resolver-match';
import { runModuleScript } from '../../test/module-script';

// V8's linear-time engine, enabled by importing resolver-match.ts (eslint does not know the flag).
const linearTime = 'l';
const regex = (source: string, flags = '') => ({
  what: 'resolver' as const,
  pattern: `/${source}/${flags}`,
  regex: { source, flags },
});
const glob = (pattern: string) => ({ what: 'resolver' as const, pattern });

// Pieces of patterns and inputs where ASCII case matters: letters of both cases at the
// edges of A-Z and a-z, the characters between them, digits, URL punctuation, non-ASCII.
const chars = ['a', 'A', 'b', 'B', 'z', 'Z', '[', '_', '`', '@', '{', '0', '9', '.', '/', '-', 'é', 'É'];
const classItem = fc.oneof(
  fc.constantFrom('a', 'B', 'z', '0', '_', '.', '\\d', '\\w', '\\W', '\\s', '\\x41', '\\u0062', '\\-'),
  fc.constantFrom('a-c', 'A-C', 'X-b', '0-9', '@-[', '_-{', 'Y-a', '!-~'),
);
const atom = fc.oneof(
  fc.constantFrom(
    ...chars.filter((c) => !'[.{'.includes(c)),
    '.',
    '\\.',
    '\\d',
    '\\w',
    '\\W',
    '\\b',
    '\\x5a',
    '\\u0061',
    '\\n',
  ),
  fc
    .tuple(fc.boolean(), fc.array(classItem, { minLength: 1, maxLength: 3 }))
    .map(([not, items]) => `[${not ? '^' : ''}${items.join('')}]`),
);
const quantified = fc.tuple(atom, fc.constantFrom('', '', '*', '+', '?', '{1,2}')).map(([a, q]) => a + q);
const sequence = fc.array(quantified, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''));
const pattern = fc
  .tuple(
    fc.constantFrom('', '^'),
    fc.array(sequence, { minLength: 1, maxLength: 2 }),
    fc.constantFrom('', '(?:x|Y)', '$'),
  )
  .map(([start, alternatives, end]) => `${start}(${alternatives.join('|')})${end}`);
const input = fc.array(fc.constantFrom(...chars, 'x', 'Y', ' ', '\n'), { maxLength: 10 }).map((c) => c.join(''));

describe('foldCase', () => {
  it('matches the lowercased input exactly when the pattern with `i` matches the input', () => {
    let folded = 0;
    fc.assert(
      fc.property(pattern, fc.array(input, { minLength: 1, maxLength: 8 }), (source, inputs) => {
        const rewritten = foldCase(source);
        if (rewritten === null) return;
        folded += 1;
        let original: RegExp;
        try {
          original = new RegExp(source, 'i');
        } catch {
          expect(() => new RegExp(rewritten, linearTime)).toThrow(); // e.g. a quantified \b
          return;
        }
        const linear = new RegExp(rewritten, linearTime);
        for (const text of inputs)
          expect(linear.test(lowerAscii(text)), `${source} on ${JSON.stringify(text)}`).toBe(original.test(text));
      }),
      { numRuns: 3000 },
    );
    // Only non-ASCII characters make a generated pattern unfoldable; most are foldable.
    expect(folded).toBeGreaterThan(2000);
  });

  it('gives up on what it cannot rewrite exactly', () => {
    for (const source of ['(a)\\1', '\\k<n>(?<n>a)', 'é', '[à-ä]', '\\p', '\\u{41}', '[\\d-z]', '\\c1']) {
      expect(foldCase(source), source).toBeNull();
    }
  });
});

describe('resolverMayMatch', () => {
  it('matches wildcards and patterns, with `i` on any case', () => {
    expect(resolverMayMatch(glob('https://files.example/*'), 'https://files.example/a.bin')).toBe(true);
    expect(resolverMayMatch(glob('https://files.example/*'), 'https://other.example/a.bin')).toBe(false);
    expect(resolverMayMatch(glob('*.example/*.zip'), 'https://a.b.example/x/y.zip')).toBe(true);
    const share = regex('^https://(www\\.)?share\\.example/[A-Z]+\\?dl=0', 'i');
    expect(resolverMayMatch(share, 'HTTPS://WWW.Share.example/AbC?dl=0')).toBe(true);
    expect(resolverMayMatch(share, 'https://share.example/abc1?dl=0')).toBe(false);
    expect(resolverMayMatch(regex('^https://share\\.example/[A-Z]+$'), 'https://share.example/abc')).toBe(false);
    expect(resolverMayMatch(regex('^https://share\\.example/[A-Z]+$', 'g'), 'https://share.example/ABC')).toBe(true);
  });

  it('counts a pattern without a linear-time form as a match: the sandbox decides', () => {
    expect(resolverMayMatch(regex('^https://(?=x)'), 'https://y')).toBe(true);
    expect(resolverMayMatch(regex('(a)\\1'), 'https://y')).toBe(true);
    expect(resolverMayMatch(regex('^https://y\\/$', 'u'), 'https://z')).toBe(true);
  });

  it('answers at once for patterns that backtrack for hours (a plugin cannot stall the main thread)', () => {
    // In a child process with a deadline: on a backtracking engine these take hours, and a
    // regression must fail the test, not hang the run.
    const module = fileURLToPath(new URL('./resolver-match.ts', import.meta.url));
    const script = `
      const { resolverMayMatch } = await import(${JSON.stringify(module)});
      const long = 'http://x/' + 'a'.repeat(5000) + '!';
      const answers = [
        resolverMayMatch({ what: 'resolver', pattern: '', regex: { source: '^http://x/(a+)+$', flags: '' } }, long),
        resolverMayMatch({ what: 'resolver', pattern: '', regex: { source: '(A|a|aa)*!b', flags: 'i' } }, long),
        resolverMayMatch({ what: 'resolver', pattern: '*a*a*a*a*a*a*a*a*a*a*a*b' }, long),
      ];
      console.log(JSON.stringify(answers));`;
    const child = runModuleScript(script);
    expect(child.signal, 'the check ran past its deadline').toBeNull();
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual([false, false, false]);
  });
});
