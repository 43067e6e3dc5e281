import type { ErrorKind } from '../../src-common/contract';

const loopbackNames = ['localhost', '127.0.0.1', '[::1]'];

/** The status each error kind is answered with over HTTP. */
export const statusOfKind: Record<ErrorKind, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  internal: 500,
  unavailable: 503,
};

/** `::1` -> `[::1]`: the form a name takes in a Host header and in an origin. */
export function hostForUrl(name: string): string {
  return name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
}

function acceptedNames(extraHosts: readonly string[]): Set<string> {
  return new Set([...loopbackNames, ...extraHosts.map((h) => hostForUrl(h).toLowerCase())]);
}

/**
 * A DNS-rebinding page reaches us with its own name in Host; only loopback names, with
 * our port or none, are accepted, plus the names the user bound to with --allow-remote.
 */
export function isAllowedHost(host: string | undefined, port: number, extraHosts: readonly string[] = []): boolean {
  if (!host) return false;
  const match = /^(\[[0-9a-f:.]+\]|[^:]+)(?::(\d+))?$/i.exec(host.trim());
  if (!match) return false;
  const [, name, hostPort] = match;
  if (!acceptedNames(extraHosts).has(name!.toLowerCase())) return false;
  return hostPort === undefined || Number(hostPort) === port;
}

/** Our own served origins: the UI in a browser calls us from one of these. */
export function ownOrigins(port: number, extraHosts: readonly string[] = []): string[] {
  return [...acceptedNames(extraHosts)].map((name) => `http://${name}:${port}`);
}

export function isAllowedOrigin(
  origin: string | undefined,
  port: number,
  extra: readonly string[] = [],
  extraHosts: readonly string[] = [],
): boolean {
  if (origin === undefined) return true;
  return ownOrigins(port, extraHosts).includes(origin.toLowerCase()) || extra.includes(origin);
}

/** `Authorization: Bearer <token>` only; tokens in query strings would end up in logs and history. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * A browser extension's own origin (`chrome-extension://<id>`, `moz-extension://<uuid>`).
 * Web pages cannot send one, so it may ask to pair; it is trusted only after pairing.
 */
export function isExtensionOrigin(origin: string | undefined): origin is string {
  return /^(chrome-extension|moz-extension):\/\/[a-z0-9-]{1,64}$/.test(origin ?? '');
}
