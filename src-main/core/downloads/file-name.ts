/**
 * File names from the network are hostile input: this turns any string into one plain
 * name that is valid on Windows, macOS and Linux and cannot leave the chosen folder.
 */

import { invisibleNameChars } from '../../../src-common/names';

/** The longest name in bytes (UTF-8) most file systems accept. */
export const maxNameBytes = 255;

/** Room kept for the `.part` suffix, so the partial file's name is valid too. */
export const partSuffix = '.part';

const fallbackName = 'download';

// Separators, characters Windows refuses, and look-alikes that Windows' "best fit"
// conversion turns back into `/` or `\`.
const unsafe = /[/\\<>:"|?*\u2044\u2215\u29f5\u29f8\u29f9\ufe68\uff0f\uff3c]/gu;
const reservedStem = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/iu;

/** The longest stem `reservedStem` matches (`conout$`). */
const reservedStemLength = 7;

/** True for names Windows reserves for devices, with or without an extension (NUL.txt). */
export function isReservedName(name: string): boolean {
  const dot = name.indexOf('.');
  const first = dot < 0 ? name : name.slice(0, dot);
  // Most names' first part is longer than any device name: no pattern to run.
  if (first.trimEnd().length > reservedStemLength) return false;
  return reservedStem.test(first.replace(/[ .]+$/u, ''));
}

/**
 * A printable ASCII name with none of the characters `unsafe` replaces, that neither
 * starts nor ends with a dot or a space: every pass of cleanFileName keeps it as it is
 * (no invisible characters, nothing for NFC, nothing to tidy), but the device names and
 * the length, which `isPlainAsciiName` checks besides.
 */
const plainAscii = /^[\w!#$%&'()+,;=@[\]^`{}~-](?:[\w!#$%&'()+,;=@[\]^`{}~ .-]*[\w!#$%&'()+,;=@[\]^`{}~-])?$/;

/**
 * True for a plain ASCII name (see `plainAscii`) that is its own cleanFileName; false
 * tells nothing about other names.
 */
export function isPlainAsciiName(name: string, maxBytes = maxNameBytes - partSuffix.length): boolean {
  return name.length <= maxBytes && plainAscii.test(name) && !isReservedName(name);
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Cuts `text` to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8Length(text) <= maxBytes) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const size = utf8Length(char);
    if (used + size > maxBytes) break;
    out += char;
    used += size;
  }
  return out;
}

/** Splits `name.ext`; an extension is short and has no spaces, else there is none. */
export function splitExtension(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return { stem: name, ext: '' };
  const ext = name.slice(dot);
  if (ext.length > 16 || /\s/u.test(ext)) return { stem: name, ext: '' };
  return { stem: name.slice(0, dot), ext };
}

/** Cuts a name to `maxBytes`, keeping its extension when there is room for it. */
function fitLength(name: string, maxBytes: number): string {
  if (utf8Length(name) <= maxBytes) return name;
  const { stem, ext } = splitExtension(name);
  const extBytes = utf8Length(ext);
  if (ext && extBytes < maxBytes / 2) return truncateUtf8(stem, maxBytes - extBytes) + ext;
  return truncateUtf8(name, maxBytes);
}

function tidy(name: string): string {
  // Windows drops trailing dots and spaces, so `a.exe.` would become `a.exe`.
  return name.trim().replace(/[. ]+$/u, '');
}

/**
 * One safe name from any string. Never empty, never `.` or `..`, no separators or
 * control characters, not a Windows device name, at most `maxBytes` bytes of UTF-8.
 * @default maxBytes 250 (255 minus the `.part` suffix)
 */
export function sanitizeFileName(raw: string, maxBytes = maxNameBytes - partSuffix.length): string {
  return cleanFileName(raw, maxBytes) ?? fallbackName;
}

/** Like sanitizeFileName, but null when nothing usable is left of `raw`. */
export function cleanFileName(raw: string, maxBytes = maxNameBytes - partSuffix.length): string | null {
  // Most names are told at a glance: every pass below would keep them as they are.
  return isPlainAsciiName(raw, maxBytes) ? raw : cleanEveryPass(raw, maxBytes);
}

/** cleanFileName without its glance: each pass, whatever the name. */
export function cleanEveryPass(raw: string, maxBytes: number): string | null {
  let name = raw.replace(invisibleNameChars, '');
  // Leading dots behind invisible characters were hidden from whoever read the name
  // ("\u200b.bashrc"): they make no hidden file. A name that shows its dot keeps it.
  if (name.startsWith('.') && !raw.startsWith('.')) name = name.replace(/^\.+/u, '');
  name = name.normalize('NFC').replace(unsafe, '_');
  name = tidy(name);
  if (/^\.+$/u.test(name)) name = '';
  // Each step can undo the previous one (a cut exposes a trailing dot, `_` adds a byte),
  // so repeat until stable; three rounds always suffice.
  for (let round = 0; round < 3; round += 1) {
    const before = name;
    name = tidy(fitLength(name, maxBytes));
    if (isReservedName(name)) name = `_${name}`;
    if (name === before) break;
  }
  if (name === '' || /^\.+$/u.test(name)) return null;
  return name;
}

/** `name (n).ext`, still within `maxBytes`: the stem is cut, never the counter. */
export function numberedName(name: string, n: number, maxBytes = maxNameBytes - partSuffix.length): string {
  if (n === 0) return name;
  const { stem, ext } = splitExtension(name);
  const suffix = ` (${n})${ext}`;
  const cut = truncateUtf8(stem, maxBytes - utf8Length(suffix));
  return sanitizeFileName(`${cut}${suffix}`, maxBytes);
}
