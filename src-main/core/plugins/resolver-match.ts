import { foldCase, lowerAscii } from './fold-case';
import type { Registration } from './protocol';
import { setRuntimeFlags } from '../runtime-flags';

type Resolver = Extract<Registration, { what: 'resolver' }>;

// A plugin's pattern runs on the main thread only in V8's linear-time engine (the `l`
// flag, behind a V8 flag in Node 20): backtracking on a pattern like /(a+)+$/ would stop
// every download and the API for as long as the plugin wants. The sandbox, which has a
// time limit, still runs the pattern as written.
setRuntimeFlags();

/** The sandbox's wildcard: `*` is any run of characters, everything else literal. */
function wildcard(glob: string): string {
  return `^${glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*')}$`;
}

interface Prefilter {
  regex: RegExp;
  /** Tested against the URL with A-Z lowercased: a pattern with `i`, rewritten by foldCase. */
  lowered: boolean;
}

/** Each resolver's compiled prefilter; null when no linear-time form exists. */
const prefilters = new WeakMap<Resolver, Prefilter | null>();

function prefilterOf(resolver: Resolver): Prefilter | null {
  const { source, flags } = resolver.regex ?? { source: wildcard(resolver.pattern), flags: '' };
  // `u` and `v` change what escapes and classes mean; `g`, `y` and `d` do not matter to a test.
  if (/[uv]/.test(flags)) return null;
  const lowered = flags.includes('i');
  const linear = lowered ? foldCase(source) : source;
  if (linear === null) return null;
  try {
    return { regex: new RegExp(linear, `${flags.replace(/[^ms]/g, '')}l`), lowered };
  } catch {
    // Look-arounds and back references have no linear-time form.
    return null;
  }
}

/**
 * Whether `url` may reach the resolver, checked on the main thread so a sleeping plugin
 * is woken only for URLs it asked for. In linear time whatever the pattern; a pattern
 * that has no linear-time form counts as a match, and the sandbox decides.
 */
export function resolverMayMatch(resolver: Resolver, url: string): boolean {
  let prefilter = prefilters.get(resolver);
  if (prefilter === undefined) {
    prefilter = prefilterOf(resolver);
    prefilters.set(resolver, prefilter);
  }
  if (!prefilter) return true;
  return prefilter.regex.test(prefilter.lowered ? lowerAscii(url) : url);
}
