import { describe, expect, it } from 'vitest';
import { iconSvgMaxLength, taskIconSrc } from './task-icon';

const decode = (src: string) =>
  new TextDecoder().decode(Uint8Array.from(atob(src.split(',')[1]!), (c) => c.charCodeAt(0)));

describe('task icon source', () => {
  it('turns an SVG into a base64 data URL that decodes to the same text, non-ASCII included', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><title>Sauvegarde é ✓</title></svg>';
    const src = taskIconSrc(svg)!;
    expect(src).toMatch(/^data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+$/);
    expect(decode(src)).toBe(svg);
    expect(taskIconSrc(`<?xml version="1.0"?>\n${svg}`)).toBeDefined();
  });

  it('refuses what is not an <svg> document, and one over the size limit', () => {
    expect(taskIconSrc(null)).toBeUndefined();
    expect(taskIconSrc('')).toBeUndefined();
    expect(taskIconSrc('<html><svg></svg></html>')).toBeUndefined();
    expect(taskIconSrc('<svgx>')).toBeUndefined();
    expect(taskIconSrc('javascript:alert(1)')).toBeUndefined();
    const big = `<svg>${' '.repeat(iconSvgMaxLength)}</svg>`;
    expect(taskIconSrc(big)).toBeUndefined();
    expect(taskIconSrc(big.slice(0, iconSvgMaxLength))).toBeDefined();
  });
});
