import { describe, expect, it } from 'vitest';
import { bearerToken, isAllowedHost, isAllowedOrigin } from './guards';

describe('request guards', () => {
  it.each([
    ['127.0.0.1:8181', true],
    ['localhost:8181', true],
    ['LOCALHOST', true],
    ['[::1]:8181', true],
    ['127.0.0.1:9999', false],
    ['evil.example:8181', false],
    ['127.0.0.1.evil.example', false],
    ['', false],
    [undefined, false],
  ])('Host %s -> %s', (host, allowed) => {
    expect(isAllowedHost(host, 8181)).toBe(allowed);
  });

  it('accepts no Origin (curl, scripts) and our own, refuses others unless allowed', () => {
    expect(isAllowedOrigin(undefined, 8181)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:8181', 8181)).toBe(true);
    expect(isAllowedOrigin('http://localhost:8181', 8181)).toBe(true);
    expect(isAllowedOrigin('http://localhost:3000', 8181)).toBe(false);
    expect(isAllowedOrigin('null', 8181)).toBe(false);
    expect(isAllowedOrigin('chrome-extension://abc', 8181, ['chrome-extension://abc'])).toBe(true);
  });

  it('reads only a Bearer token', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
