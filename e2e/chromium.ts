/**
 * Debian's Chromium as every end-to-end test starts it: headless on a machine with no
 * network but loopback, so nothing in the background reaches out. Playwright's own browser
 * download is not used.
 */
export const chromiumPath = process.env.HAUL_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
