/**
 * Rewrites a regular expression meant for the `i` flag into one without it that matches
 * the input lowercased (ASCII letters only, see `lowerAscii`) exactly when the original
 * matches the input: V8's linear-time engine refuses `i`, and the host checks plugins'
 * patterns only there (see resolver-match.ts). Returns null where the answer would not
 * be exact: non-ASCII in the pattern, back references, escapes whose meaning depends on
 * Annex B corners. A null pattern counts as "may match", which only costs a wake-up.
 */
export function foldCase(source: string): string | null {
  let out = '';
  let at = 0;
  while (at < source.length) {
    const code = source.charCodeAt(at);
    if (code > 0x7f) return null;
    if (code === backslash) {
      const escape = readEscape(source, at, false);
      if (!escape) return null;
      out += escape.set ?? charText(lower(escape.char));
      at = escape.end;
    } else if (code === openBracket) {
      const folded = foldClass(source, at);
      if (!folded) return null;
      out += folded.text;
      at = folded.end;
    } else {
      out += String.fromCharCode(lower(code));
      at += 1;
    }
  }
  return out;
}

/** Lowercases A-Z and leaves every other character as it is. */
export function lowerAscii(text: string): string {
  return /[A-Z]/.test(text) ? text.replace(/[A-Z]+/g, (run) => run.toLowerCase()) : text;
}

const backslash = 0x5c;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const dash = 0x2d;

const isUpper = (code: number): boolean => code >= 0x41 && code <= 0x5a;
const lower = (code: number): number => (isUpper(code) ? code + 0x20 : code);
const charText = (code: number): string => `\\u${code.toString(16).padStart(4, '0')}`;

/** One escape: a character (`char`), or a class like `\d` kept as written (`set`). */
interface Escape {
  char: number;
  set?: string;
  end: number;
}

const controls: Record<string, number> = { n: 10, r: 13, t: 9, v: 11, f: 12 };

function readEscape(source: string, at: number, inClass: boolean): Escape | null {
  const next = source[at + 1];
  if (next === undefined) return null;
  const end = at + 2;
  if ('dDwWsS'.includes(next)) return { char: -1, set: `\\${next}`, end };
  if (next === 'b' || next === 'B')
    return inClass ? (next === 'b' ? { char: 8, end } : null) : { char: -1, set: `\\${next}`, end };
  if (next in controls) return { char: controls[next]!, end };
  if (next === '0') return /[0-9]/.test(source[end] ?? '') ? null : { char: 0, end };
  if (next === 'c') {
    const letter = source.charCodeAt(end);
    return (letter | 0x20) >= 0x61 && (letter | 0x20) <= 0x7a ? { char: letter % 32, end: end + 1 } : null;
  }
  if (next === 'x' || next === 'u') {
    const digits = next === 'x' ? 2 : 4;
    const hex = source.slice(end, end + digits);
    return /^[0-9a-fA-F]+$/.test(hex) && hex.length === digits ? { char: parseInt(hex, 16), end: end + digits } : null;
  }
  const code = next.charCodeAt(0);
  // Letters and digits left are back references, `\k<name>`, or Annex B identity escapes.
  if (code > 0x7f || /[0-9A-Za-z]/.test(next)) return null;
  return { char: code, end };
}

/** A class for lowercased input: `[A-C]` becomes `[A-Ca-c]`, and `[^X]` refuses `x` too. */
function foldClass(source: string, start: number): { text: string; end: number } | null {
  let at = start + 1;
  const negated = source[at] === '^';
  if (negated) at += 1;
  const ranges: [number, number][] = [];
  const sets: string[] = [];
  while (at < source.length && source.charCodeAt(at) !== closeBracket) {
    const first = classAtom(source, at);
    if (!first) return null;
    at = first.end;
    const isRange =
      source.charCodeAt(at) === dash && at + 1 < source.length && source.charCodeAt(at + 1) !== closeBracket;
    if (!isRange) {
      if (first.set) sets.push(first.set);
      else ranges.push([first.char, first.char]);
      continue;
    }
    const last = classAtom(source, at + 1);
    if (!last || first.set || last.set || first.char > last.char) return null;
    ranges.push([first.char, last.char]);
    at = last.end;
  }
  if (source.charCodeAt(at) !== closeBracket) return null;
  // The input is lowercased, so each range also takes the lowercase image of its A-Z part.
  const closed = [...ranges];
  for (const [low, high] of ranges) {
    const a = Math.max(low, 0x41);
    const b = Math.min(high, 0x5a);
    if (a <= b) closed.push([a + 0x20, b + 0x20]);
  }
  const body = closed.map(([a, b]) => (a === b ? charText(a) : `${charText(a)}-${charText(b)}`)).join('');
  return { text: `[${negated ? '^' : ''}${sets.join('')}${body}]`, end: at + 1 };
}

function classAtom(source: string, at: number): Escape | null {
  const code = source.charCodeAt(at);
  if (code > 0x7f) return null;
  if (code === backslash) return readEscape(source, at, true);
  return { char: code, end: at + 1 };
}
