import { pathToFileURL } from 'node:url';

export interface TrustedOrigin {
  /** The folder of the built renderer (production: loaded from file://). */
  rendererDir: string;
  /** electron-vite's dev server, only while developing. */
  devServerUrl?: string;
}

/**
 * True when a frame URL is our own page. Anything else (a navigated-to site, an
 * iframe, a data: URL) must never reach a command handler.
 */
export function isTrustedFrameUrl(frameUrl: string | undefined, trusted: TrustedOrigin): boolean {
  if (!frameUrl) return false;
  let url: URL;
  try {
    url = new URL(frameUrl);
  } catch {
    return false;
  }
  if (trusted.devServerUrl) {
    const dev = new URL(trusted.devServerUrl);
    if (url.origin === dev.origin) return true;
  }
  if (url.protocol !== 'file:') return false;
  const root = pathToFileURL(trusted.rendererDir).href.replace(/\/?$/, '/');
  return url.href.startsWith(root) && !url.pathname.includes('/../');
}
