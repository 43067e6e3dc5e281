/** The code a browser extension pairs with: Haul's API address with the token in the fragment. */
export function pairingCode(apiBase: string, token: string): string {
  return `${new URL(apiBase).origin}/#token=${token}`;
}

/** The origins a paired extension has; other allowed origins are web UIs the user added. */
export function isExtensionOrigin(origin: string): boolean {
  return /^(chrome-extension|moz-extension):\/\//.test(origin);
}
