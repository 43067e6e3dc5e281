import { statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test/temp-dir';
import { loadOrCreateToken, regenerateToken, tokenPath, tokensMatch } from './api-token';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

describe('API token', () => {
  it('is created once, owner-only, and read back the same', () => {
    const first = loadOrCreateToken(dir.path);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(statSync(tokenPath(dir.path)).mode & 0o777).toBe(0o600);
    expect(loadOrCreateToken(dir.path)).toBe(first);
  });

  it('regenerating replaces it', () => {
    const first = loadOrCreateToken(dir.path);
    const second = regenerateToken(dir.path);
    expect(second).not.toBe(first);
    expect(loadOrCreateToken(dir.path)).toBe(second);
  });

  it('compares exactly', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true);
    expect(tokensMatch('abc', 'abd')).toBe(false);
    expect(tokensMatch('', 'abc')).toBe(false);
  });
});
