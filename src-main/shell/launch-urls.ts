/**
 * URLs handed to Haul from outside: command-line arguments, `haul://add?url=...` links
 * (several `url` parameters allowed), and macOS open-url events. Only http(s) URLs are
 * kept; everything else (flags, file paths, other schemes) is ignored.
 */
export function urlsFromArgs(argv: readonly string[]): string[] {
  const urls: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith('-')) continue;
    urls.push(...urlsFromLink(arg));
  }
  return [...new Set(urls)];
}

export function urlsFromLink(text: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(text.trim());
  } catch {
    return [];
  }
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return [parsed.href];
  if (parsed.protocol !== 'haul:') return [];
  // haul://add?url=... (host "add"), also accepted as haul:add?url=...
  const action = parsed.hostname || parsed.pathname.replace(/^\/+/, '');
  if (action !== 'add') return [];
  return parsed.searchParams.getAll('url').flatMap((value) => {
    try {
      const target = new URL(value);
      return target.protocol === 'http:' || target.protocol === 'https:' ? [target.href] : [];
    } catch {
      return [];
    }
  });
}
