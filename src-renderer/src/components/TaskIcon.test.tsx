import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TaskIcon } from './TaskIcon';

const hostile =
  '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)">' +
  '<script>alert(document.cookie)</script>' +
  '<image href="https://evil.example/track.png" xlink:href="https://evil.example/x.png"/>' +
  '<foreignObject><iframe src="https://evil.example/"></iframe></foreignObject>' +
  '"><img src=x onerror=alert(2)></svg>';

describe('TaskIcon', () => {
  it('puts a hostile SVG only inside an <img src>, as base64, never as elements', () => {
    const html = renderToStaticMarkup(<TaskIcon svg={hostile} />);
    // One element: the image. Nothing of the SVG's markup or its words reached the page.
    expect(html.match(/<[a-z]/giu)).toEqual(['<i']);
    expect(html).toMatch(/^<img [^<>]*src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"[^<>]*\/>$/u);
    for (const word of ['script', 'onload', 'onerror', 'evil.example', 'iframe', 'foreignObject', 'alert']) {
      expect(html).not.toContain(word);
    }
    const src = /src="([^"]+)"/u.exec(html)![1]!;
    expect(atob(src.split(',')[1]!)).toBe(hostile);
  });

  it('shows the generic icon, not an image, when the text is no SVG', () => {
    const html = renderToStaticMarkup(<TaskIcon svg={'<img src=x onerror=alert(1)>'} />);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror');
    expect(html).toMatch(/^<svg class="icon"/u);
    expect(renderToStaticMarkup(<TaskIcon svg={null} />)).toMatch(/^<svg class="icon"/u);
  });
});
