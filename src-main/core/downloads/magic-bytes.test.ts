import { describe, expect, it } from 'vitest';
import { detectType } from './magic-bytes';

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('detectType', () => {
  it.each([
    ['image/png', bytes([0x89], 'PNG\r\n\x1a\n', 'rest')],
    ['image/jpeg', bytes([0xff, 0xd8, 0xff, 0xe0])],
    ['image/gif', bytes('GIF89a')],
    ['image/webp', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 ')],
    ['audio/wav', bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt ')],
    ['application/pdf', bytes('%PDF-1.4')],
    ['application/zip', bytes('PK', [3, 4], 'xx')],
    ['application/gzip', bytes([0x1f, 0x8b, 8])],
    ['application/x-7z-compressed', bytes([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])],
    ['application/vnd.rar', bytes('Rar!', [0x1a, 0x07, 0x01])],
    ['video/mp4', bytes([0, 0, 0, 0x20], 'ftypisom')],
    ['video/webm', bytes([0x1a, 0x45, 0xdf, 0xa3], [0x9f, 0x42, 0x82, 0x84], 'webm')],
    ['video/x-matroska', bytes([0x1a, 0x45, 0xdf, 0xa3], [0x9f, 0x42, 0x82, 0x88], 'matroska')],
    ['audio/mpeg', bytes('ID3', [4, 0])],
    ['audio/mpeg', bytes([0xff, 0xfb, 0x90])],
    ['audio/ogg', bytes('OggS')],
    ['audio/flac', bytes('fLaC')],
    ['application/vnd.microsoft.portable-executable', bytes('MZ', [0x90, 0])],
    ['application/x-elf', bytes([0x7f], 'ELF', [2, 1])],
  ])('recognises %s', (type, head) => {
    expect(detectType(head)).toBe(type);
  });

  it.each([bytes(''), bytes('hello world'), bytes('RIFF', [0, 0, 0, 0], 'AVI '), bytes([0xff])])(
    'says nothing about unknown bytes (%#)',
    (head) => {
      expect(detectType(head)).toBeNull();
    },
  );
});
