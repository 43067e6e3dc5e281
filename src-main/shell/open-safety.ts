import { extname } from 'node:path';

/**
 * Extensions that run code when opened, or open something that does; opening one needs
 * the user's confirmation.
 */
const executable = new Set([
  '.exe',
  '.msi',
  '.msix',
  '.appx',
  '.bat',
  '.cmd',
  '.com',
  '.scr',
  '.pif',
  '.cpl',
  '.ps1',
  '.psm1',
  '.vbs',
  '.vbe',
  '.js',
  '.jse',
  '.wsf',
  '.wsh',
  '.hta',
  '.lnk',
  '.reg',
  '.jar',
  '.app',
  '.pkg',
  '.dmg',
  '.command',
  '.workflow',
  '.sh',
  '.bash',
  '.run',
  '.bin',
  '.appimage',
  '.deb',
  '.rpm',
  '.desktop',
  '.py',
  '.pyw',
  '.pl',
  '.rb',
  // Windows: consoles, installer patches, shortcuts and help files that run code, and
  // disk images whose contents skip the download warning.
  '.msc',
  '.msp',
  '.mst',
  '.url',
  '.scf',
  '.chm',
  '.inf',
  '.xll',
  '.appref-ms',
  '.application',
  '.settingcontent-ms',
  '.library-ms',
  '.search-ms',
  '.diagcab',
  '.gadget',
  '.iso',
  '.img',
  '.vhd',
  '.vhdx',
  // Java Web Start, and macOS's installers, terminal scripts and shortcuts.
  '.jnlp',
  '.mpkg',
  '.terminal',
  '.tool',
  '.fileloc',
  '.webloc',
  '.inetloc',
]);

export function needsConfirmationToOpen(path: string): boolean {
  return executable.has(extname(path).toLowerCase());
}

/** `shell.openExternal` is used only for web links, and only from a user action. */
export function isOpenableExternally(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Offers a copied URL once: true for an http(s) URL not offered before. */
export function clipboardOffer(text: string, offered: Set<string>): string | undefined {
  const candidate = text.trim();
  if (candidate.length > 2048 || /\s/.test(candidate) || !isOpenableExternally(candidate)) return undefined;
  const url = new URL(candidate).href;
  if (offered.has(url)) return undefined;
  offered.add(url);
  return url;
}
