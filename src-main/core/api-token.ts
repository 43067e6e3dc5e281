import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';
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
