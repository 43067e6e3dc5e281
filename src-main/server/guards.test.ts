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

describe('hosts given with --allow-remote', () => {
  it('accepts the bound name and address besides loopback, still with our port only', () => {
    const extra = ['nas.local', '192.168.1.5', 'fe80::1'];
    expect(isAllowedHost('nas.local:8181', 8181, extra)).toBe(true);
    expect(isAllowedHost('NAS.LOCAL:8181', 8181, extra)).toBe(true);
    expect(isAllowedHost('192.168.1.5:8181', 8181, extra)).toBe(true);
    expect(isAllowedHost('[fe80::1]:8181', 8181, extra)).toBe(true);
    expect(isAllowedHost('192.168.1.5:9999', 8181, extra)).toBe(false);
    expect(isAllowedHost('evil.example:8181', 8181, extra)).toBe(false);
    expect(isAllowedHost('nas.local:8181', 8181)).toBe(false);
  });

  it('treats the UI served on that name as our own origin', () => {
    expect(isAllowedOrigin('http://192.168.1.5:8181', 8181, [], ['192.168.1.5'])).toBe(true);
    expect(isAllowedOrigin('http://192.168.1.5:8181', 8181)).toBe(false);
    expect(isAllowedOrigin('http://192.168.1.6:8181', 8181, [], ['192.168.1.5'])).toBe(false);
  });
});
