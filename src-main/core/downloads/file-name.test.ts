import { dirname, join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleanEveryPass,
  cleanFileName,
  isPlainAsciiName,
  isReservedName,
  numberedName,
  sanitizeFileName,
  utf8Length,
} from './file-name';
import { chooseFileName, nameFromDisposition } from './name-from-response';
import { isInside } from './target-folder';

const hostileChars = [
  '/',
  '\\',
  '\0',
  '\n',
  '\u202e',
  '\u2066',
  '\u200f',
  ':',
  '*',
  '?',
  '"',
  '<',
  '>',
  '|',
  '.',
  ' ',
  '\u2215',
  '\uff0f',
  '\uff3c',
  'C',
  'O',
  'N',
  'n',
  'u',
  'l',
  'x',
  't',
  'é',
  '😀',
  '\u0301',
];
const hostileName = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom(...hostileChars), maxLength: 300 }),
  fc.constantFrom('.', '..', '...', ' ', 'CON', 'nul.txt', 'COM1', 'lpt9.tar.gz', 'aux .txt', 'CON.', '😀'.repeat(100)),
);

describe('sanitizeFileName', () => {
  it('always gives one safe plain name, whatever comes in', () => {
    fc.assert(
      fc.property(hostileName, (raw) => {
        const name = sanitizeFileName(raw);
        // eslint-disable-next-line no-control-regex -- asserting control characters are gone
        expect(name).not.toMatch(/[/\\\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069<>:"|?*]/u);
        expect(name).not.toBe('.');
        expect(name).not.toBe('..');
        expect(name.length).toBeGreaterThan(0);
        expect(utf8Length(name)).toBeLessThanOrEqual(250);
        expect(utf8Length(name + '.part')).toBeLessThanOrEqual(255);
        expect(isReservedName(name)).toBe(false);
        expect(name).not.toMatch(/[. ]$/u);
        const folder = resolve('/downloads/target');
        const path = join(folder, name);
        expect(dirname(path)).toBe(folder);
        expect(isInside(folder, path)).toBe(true);
        // Stable: a clean name stays as it is.
        expect(sanitizeFileName(name)).toBe(name);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a dot the name shows, and drops dots that invisible characters stood in front of', () => {
    expect(sanitizeFileName('.bashrc')).toBe('.bashrc');
    expect(sanitizeFileName('\u200b.bashrc')).toBe('bashrc');
    expect(sanitizeFileName('\ufeff\u061c..profile')).toBe('profile');
    expect(sanitizeFileName('a\u200b.txt')).toBe('a.txt');
  });

  it('numbered names stay within the limits', () => {
    fc.assert(
      fc.property(hostileName, fc.integer({ min: 1, max: 999 }), (raw, n) => {
        const name = numberedName(sanitizeFileName(raw), n);
        expect(utf8Length(name)).toBeLessThanOrEqual(250);
        expect(name).toContain(`(${n})`);
        expect(sanitizeFileName(name)).toBe(name);
      }),
    );
  });

  it.each([
    ['../../etc/passwd', '.._.._etc_passwd'],
    ['..', 'download'],
    ['CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['COM1.tar.gz', '_COM1.tar.gz'],
    ['LPT¹', '_LPT¹'],
    ['report.pdf. . ', 'report.pdf'],
    ['a\u202egnp.exe', 'agnp.exe'],
    ['C:\\Windows\\x.dll', 'C__Windows_x.dll'],
    ['e\u0301t\u00e9.txt', 'été.txt'],
  ])('%j becomes %j', (raw, expected) => {
    expect(sanitizeFileName(raw)).toBe(expected);
  });

  it('cuts a long name on a character boundary and keeps the extension', () => {
    const name = sanitizeFileName('😀'.repeat(100) + '.tar.gz');
    expect(name.endsWith('.gz')).toBe(true);
    expect(utf8Length(name)).toBeLessThanOrEqual(250);
    expect(name).not.toContain('\ufffd');
  });

  it('tells a name that is its own clean form at a glance exactly as cleaning it would', () => {
    // Printable ASCII most of all: the names the quick look decides without cleaning.
    const ascii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) });
    const named = fc.oneof(
      hostileName,
      ascii,
      fc.constantFrom('small-1.bin', 'con.txt', 'CONOUT$.log', 'lpt1 .x', 'a'.repeat(250), 'a'.repeat(251), 'a .b'),
    );
    fc.assert(
      fc.property(named, fc.constantFrom(250, 255, 12), (name, maxBytes) => {
        const clean = cleanEveryPass(name, maxBytes);
        expect(cleanFileName(name, maxBytes)).toBe(clean);
        if (isPlainAsciiName(name, maxBytes)) expect(clean).toBe(name);
      }),
      { numRuns: 3000 },
    );
  });

  it('numbers a clash as "name (1).ext"', () => {
    expect(numberedName('photo.jpg', 1)).toBe('photo (1).jpg');
    expect(numberedName('archive', 12)).toBe('archive (12)');
  });
});

describe('choosing a name', () => {
  it('prefers filename* over filename', () => {
    expect(nameFromDisposition(`attachment; filename="plain.txt"; filename*=UTF-8''%E2%82%AC%20rates.txt`)).toBe(
      '€ rates.txt',
    );
  });

  it('falls back to the URL, then to "download", adding an extension from the type', () => {
    expect(chooseFileName({ disposition: null, url: 'https://x.org/files/a%20b.zip?x=1', contentType: null })).toBe(
      'a b.zip',
    );
    expect(chooseFileName({ disposition: 'inline', url: 'https://x.org/', contentType: 'application/pdf' })).toBe(
      'download.pdf',
    );
    expect(chooseFileName({ disposition: null, url: 'https://x.org/get', contentType: 'image/png; q=1' })).toBe(
      'get.png',
    );
    expect(chooseFileName({ disposition: null, url: 'https://x.org/a.tar', contentType: 'image/png' })).toBe('a.tar');
  });

  it("never makes a hidden file of a server's name", () => {
    const named = (disposition: string | null, url = 'https://x.org/get') =>
      chooseFileName({ disposition, url, contentType: null });
    expect(named('attachment; filename=".bashrc"')).toBe('bashrc');
    expect(named(`attachment; filename*=UTF-8''%E2%80%8B..%20.profile`)).toBe('profile');
    expect(named(null, 'https://x.org/.ssh%2Fauthorized_keys')).toBe('ssh_authorized_keys');
    expect(named('attachment; filename="..."', 'https://x.org/.env')).toBe('env');
    expect(named('attachment; filename="..."', 'https://x.org/...')).toBe('download');
    // A dot inside the name stays.
    expect(named('attachment; filename="archive.tar.gz"')).toBe('archive.tar.gz');
  });

  it('survives any Content-Disposition header', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (header) => {
        const name = chooseFileName({ disposition: header, url: 'http://h/x', contentType: null });
        expect(name).not.toMatch(/[/\\]/u);
        expect(name).not.toMatch(/^\./u);
        expect(name.length).toBeGreaterThan(0);
      }),
    );
  });
});
