import { describe, expect, it } from 'vitest';
import { takeTokenFromLocation } from './client';

function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (key) => map.get(key) ?? null,
    key: (index) => [...map.keys()][index] ?? null,
    removeItem: (key) => void map.delete(key),
    setItem: (key, value) => void map.set(key, value),
  };
}

describe('browser sign-in link', () => {
  it('keeps the token and removes it from the address bar', () => {
    const storage = memoryStorage();
    const replaced: string[] = [];
    const history = {
      replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url),
    } as unknown as History;
    takeTokenFromLocation({ hash: '#token=abc%2Fdef', pathname: '/', search: '' } as Location, storage, history);
    expect(storage.getItem('haul.apiToken')).toBe('abc/def');
    expect(replaced).toEqual(['/']);
  });

  it('leaves everything alone without a token in the hash', () => {
    const storage = memoryStorage();
    const history = {
      replaceState: () => {
        throw new Error('must not be called');
      },
    } as unknown as History;
    takeTokenFromLocation({ hash: '#about', pathname: '/', search: '' } as Location, storage, history);
    expect(storage.length).toBe(0);
  });
});
