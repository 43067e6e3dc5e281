import { randomBytes, createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `<data-dir>/api-token`: created on first run, plain text, readable by the owner only. */
export function tokenPath(dataDir: string): string {
  return join(dataDir, 'api-token');
}

export function loadOrCreateToken(dataDir: string): string {
  const file = tokenPath(dataDir);
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 32) return token;
  }
  return regenerateToken(dataDir);
}

export function regenerateToken(dataDir: string): string {
  const token = randomBytes(32).toString('base64url');
  const file = tokenPath(dataDir);
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}

/** Constant-time: both sides are hashed first so their lengths never leak either. */
export function tokensMatch(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * What Haul answers at `/healthz?proof=NONCE`: shows a client that the program on this port
 * holds the token, before the client sends it (a port a crashed Haul left may since be
 * another user's program). The port Haul listens on is part of it, so a program on the
 * port a client asked cannot pass on an answer it got from a Haul elsewhere.
 */
export function tokenProof(token: string, port: number, nonce: string): string {
  return createHmac('sha256', token).update(`haul-healthz:${port}:${nonce}`).digest('base64url');
}

/** A nonce `/healthz` takes: 16 to 128 characters of base64url. */
export const proofNonce = /^[A-Za-z0-9_-]{16,128}$/;
