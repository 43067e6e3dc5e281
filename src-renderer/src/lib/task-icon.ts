/**
 * A task's icon is untrusted text from a script or plugin. It is only ever shown as the
 * source of an <img>: an SVG loaded as an image runs no script and fetches nothing, so
 * whatever it holds stays inert. It is never parsed into the page.
 */

/** The contract's limit on `iconSvg`; a longer one is refused here too. */
export const iconSvgMaxLength = 20_000;

const svgStart = /^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/u;

/** The `data:` URL that shows `svg` as an image, or undefined when it is absent or refused. */
export function taskIconSrc(svg: string | null | undefined): string | undefined {
  if (!svg || svg.length > iconSvgMaxLength || !svgStart.test(svg)) return undefined;
  // base64 of the UTF-8 bytes: no character of the text can end the attribute or the URL.
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}
