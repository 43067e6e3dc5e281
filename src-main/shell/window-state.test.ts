import { describe, expect, it } from 'vitest';
import { defaultBounds, restoreBounds } from './window-state';

const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];

describe('window size and position', () => {
  it('come back as saved when still on a screen', () => {
    expect(restoreBounds({ x: 100, y: 80, width: 1200, height: 800, maximized: true }, screen)).toEqual({
      x: 100,
      y: 80,
      width: 1200,
      height: 800,
      maximized: true,
    });
  });

  it('keep the size but drop a position on a monitor that is gone', () => {
    expect(restoreBounds({ x: 2500, y: 100, width: 1200, height: 800 }, screen)).toEqual({
      width: 1200,
      height: 800,
      maximized: false,
    });
  });

  it('fall back to defaults for anything unreadable, and never go below the minimum size', () => {
    expect(restoreBounds(undefined, screen)).toEqual(defaultBounds);
    expect(restoreBounds({ width: 'big' }, screen)).toEqual(defaultBounds);
    expect(restoreBounds({ width: 10, height: 10 }, screen)).toMatchObject({ width: 720, height: 480 });
  });
});
