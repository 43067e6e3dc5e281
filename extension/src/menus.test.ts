import { describe, expect, it } from 'vitest';
import { urlsOfClick } from './menus';

const click = (info: Partial<chrome.contextMenus.OnClickData>) => ({
  menuItemId: 'haul-download',
  editable: false,
  ...info,
});

describe('the "Download with Haul" menu', () => {
  it('takes the link first, then the image or media, then every URL in the selection', () => {
    expect(urlsOfClick(click({ linkUrl: 'https://a.test/x.zip', srcUrl: 'https://a.test/thumb.png' }))).toEqual([
      'https://a.test/x.zip',
    ]);
    expect(urlsOfClick(click({ srcUrl: 'https://a.test/movie.mp4' }))).toEqual(['https://a.test/movie.mp4']);
    expect(
      urlsOfClick(click({ selectionText: 'mirrors: https://m1.test/f.iso https://m2.test/f.iso, and text' })),
    ).toEqual(['https://m1.test/f.iso', 'https://m2.test/f.iso']);
    expect(urlsOfClick(click({ selectionText: 'nothing here' }))).toEqual([]);
  });
});
