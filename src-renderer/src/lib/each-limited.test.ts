import { describe, expect, it } from 'vitest';
import { eachLimited } from './each-limited';

describe('eachLimited', () => {
  it('never runs more than the limit at once, and keeps the order of the answers', async () => {
    let running = 0;
    let most = 0;
    const items = Array.from({ length: 50 }, (_, i) => i);
    const answers = await eachLimited(items, 4, async (i) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, (i * 7) % 5));
      running -= 1;
      return i * 2;
    });
    expect(most).toBe(4);
    expect(answers).toEqual(items.map((i) => i * 2));
  });

  it('resolves at once with nothing to run', async () => {
    expect(await eachLimited([], 8, () => Promise.resolve(1))).toEqual([]);
  });
});
