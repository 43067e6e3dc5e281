import type { ErrorKind } from '../../src-preload/contract';

const loopbackNames = new Set(['localhost', '127.0.0.1', '[::1]']);

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

/**
 * A DNS-rebinding page reaches us with its own name in Host; only loopback names,
 * with our port or none, are accepted.
 */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const match = /^(\[[0-9a-f:.]+\]|[^:]+)(?::(\d+))?$/i.exec(host.trim());
  if (!match) return false;
  const [, name, hostPort] = match;
  if (!loopbackNames.has(name!.toLowerCase())) return false;
  return hostPort === undefined || Number(hostPort) === port;
}

/** Our own served origins: the UI in a browser calls us from one of these. */
export function ownOrigins(port: number): string[] {
  return [...loopbackNames].map((name) => `http://${name}:${port}`);
}

export function isAllowedOrigin(origin: string | undefined, port: number, extra: readonly string[] = []): boolean {
  if (origin === undefined) return true;
  return ownOrigins(port).includes(origin) || extra.includes(origin);
}

/** `Authorization: Bearer <token>` only; tokens in query strings would end up in logs and history. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
