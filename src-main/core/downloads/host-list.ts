/**
 * Host lists as plugin.json `hosts` writes them: `host`, `*.domain` (subdomains only),
 * `host:port`, `[v6]:port`. The plugin host checks a plugin's calls with them, and the
 * engine checks every hop of a download a plugin added.
 */

/** Whether `url`'s host is one the list allows. */
export function hostAllowed(url: URL, patterns: readonly string[]): boolean {
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return patterns.some((raw) => {
    const pattern = raw.toLowerCase();
    const match = /^(.*?)(?::(\d+))?$/.exec(pattern.startsWith('[') ? pattern.replace(/^\[(.*)\]/, '$1') : pattern)!;
    const [name, wantedPort] = [match[1]!, match[2]];
    if (wantedPort !== undefined && wantedPort !== port) return false;
    const bare = host.replace(/^\[|\]$/g, '');
    if (name.startsWith('*.')) return bare.endsWith(name.slice(1)) && bare.length > name.length - 1;
    return bare === name;
  });
}
