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
  const recordingHistory = (replaced: string[]) =>
    ({ replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url) }) as unknown as History;
  const link = (hash: string) => ({ hash, pathname: '/', search: '' }) as Location;

  it('keeps the token and removes it from the address bar', async () => {
    const storage = memoryStorage();
    const replaced: string[] = [];
    await takeTokenFromLocation(link('#token=abc%2Fdef'), storage, recordingHistory(replaced), async () => false);
    expect(storage.getItem('haul.apiToken')).toBe('abc/def');
    expect(replaced).toEqual(['/']);
  });

  it('replaces the token it holds only with one Haul takes: another page may open a link of its own', async () => {
    const storage = memoryStorage();
    storage.setItem('haul.apiToken', 'good');
    const asked: string[] = [];
    const accepted = async (token: string) => {
      asked.push(token);
      return token === 'regenerated';
    };
    const replaced: string[] = [];
    await takeTokenFromLocation(link('#token=chosen-by-a-page'), storage, recordingHistory(replaced), accepted);
    expect(storage.getItem('haul.apiToken')).toBe('good');
    await takeTokenFromLocation(link('#token=regenerated'), storage, recordingHistory(replaced), accepted);
    expect(storage.getItem('haul.apiToken')).toBe('regenerated');
    await takeTokenFromLocation(link('#token=regenerated'), storage, recordingHistory(replaced), accepted);
    expect(asked).toEqual(['chosen-by-a-page', 'regenerated']);
    expect(replaced).toEqual(['/', '/', '/']);
  });

  it('leaves everything alone without a token in the hash', async () => {
    const storage = memoryStorage();
    const history = {
      replaceState: () => {
        throw new Error('must not be called');
      },
    } as unknown as History;
    await takeTokenFromLocation(link('#about'), storage, history, async () => true);
    expect(storage.length).toBe(0);
  });
});
