import { describe, expect, it } from 'vitest';
import { isExtensionOrigin, pairingCode } from './pairing-code';

describe('pairing code', () => {
  it('is the API origin with the token in the fragment, as haul serve prints it', () => {
    expect(pairingCode('http://127.0.0.1:8181/some/path', 'abc_DEF-123')).toBe(
      'http://127.0.0.1:8181/#token=abc_DEF-123',
    );
  });

  it('tells paired extensions from other allowed origins', () => {
    expect(isExtensionOrigin('chrome-extension://abcdefgh')).toBe(true);
    expect(isExtensionOrigin('moz-extension://0d4c6e1a-2b9f')).toBe(true);
    expect(isExtensionOrigin('http://localhost:3000')).toBe(false);
  });
});
