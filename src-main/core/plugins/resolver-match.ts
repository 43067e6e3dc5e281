import type { Registration } from './protocol';

type Resolver = Extract<Registration, { what: 'resolver' }>;

/** The sandbox's wildcard: `*` is any run of characters, everything else literal. */
function wildcard(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/**
 * Whether `url` may reach the resolver, checked on the main thread so a sleeping plugin
 * is woken only for URLs it asked for. A pattern this side cannot read counts as a match:
 * the sandbox then decides, as it always did.
 */
export function resolverMayMatch(resolver: Resolver, url: string): boolean {
  try {
    const matcher = resolver.regex
      ? new RegExp(resolver.regex.source, resolver.regex.flags)
      : wildcard(resolver.pattern);
    return matcher.test(url);
  } catch {
    return true;
  }
}
