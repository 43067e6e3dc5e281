import { describe, expect, it } from 'vitest';
import { parsePairCode } from './options-store';

const token = 'u0Bq3n6Jk9Xc2LwZ_rT-5yHfVdGs8aPe1iOm4NxKqYc';

describe('pairing codes', () => {
  it('reads the address and token of a code from Haul or the line haul serve prints', () => {
    expect(parsePairCode(`  http://127.0.0.1:8181/#token=${token}\n`)).toEqual({
      haulUrl: 'http://127.0.0.1:8181',
      token,
    });
  });

  it('takes a bare token and keeps the address as it was', () => {
    expect(parsePairCode(token)).toEqual({ token });
  });

  it('refuses what is neither', () => {
    expect(parsePairCode('http://127.0.0.1:8181/')).toBeUndefined();
    expect(parsePairCode('short')).toBeUndefined();
    expect(parsePairCode('has spaces in it and more')).toBeUndefined();
    expect(parsePairCode('')).toBeUndefined();
  });
});
