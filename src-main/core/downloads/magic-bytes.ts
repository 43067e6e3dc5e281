/**
 * The type of a file from its first bytes. The server's Content-Type is often
 * `application/octet-stream` or plain wrong; the bytes are what the file is.
 */

/** How many leading bytes `detectType` needs. */
export const magicLength = 64;

interface Signature {
  type: string;
  offset: number;
  bytes: readonly number[] | string;
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

// Order matters: RIFF and EBML containers are told apart after their common prefix.
const signatures: readonly Signature[] = [
  { type: 'image/png', offset: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', offset: 0, bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', offset: 0, bytes: 'GIF87a' },
  { type: 'image/gif', offset: 0, bytes: 'GIF89a' },
  { type: 'application/pdf', offset: 0, bytes: '%PDF-' },
  { type: 'application/zip', offset: 0, bytes: [0x50, 0x4b, 0x03, 0x04] },
  { type: 'application/zip', offset: 0, bytes: [0x50, 0x4b, 0x05, 0x06] },
  { type: 'application/gzip', offset: 0, bytes: [0x1f, 0x8b] },
  { type: 'application/x-7z-compressed', offset: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { type: 'application/vnd.rar', offset: 0, bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07] },
  { type: 'video/mp4', offset: 4, bytes: 'ftyp' },
  { type: 'audio/mpeg', offset: 0, bytes: 'ID3' },
  { type: 'audio/ogg', offset: 0, bytes: 'OggS' },
  { type: 'audio/flac', offset: 0, bytes: 'fLaC' },
  { type: 'application/x-elf', offset: 0, bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { type: 'application/vnd.microsoft.portable-executable', offset: 0, bytes: 'MZ' },
];

function matches(head: Uint8Array, offset: number, bytes: readonly number[] | string): boolean {
  const expected = typeof bytes === 'string' ? ascii(bytes) : bytes;
  if (head.length < offset + expected.length) return false;
  return expected.every((byte, i) => head[offset + i] === byte);
}

function includesAscii(head: Uint8Array, text: string): boolean {
  return Buffer.from(head).includes(text, 0, 'latin1');
}

/** The media type the bytes show, or null when none of the known signatures match. */
export function detectType(head: Uint8Array): string | null {
  if (matches(head, 0, 'RIFF')) {
    if (matches(head, 8, 'WEBP')) return 'image/webp';
    if (matches(head, 8, 'WAVE')) return 'audio/wav';
    return null;
  }
  if (matches(head, 0, [0x1a, 0x45, 0xdf, 0xa3])) {
    return includesAscii(head, 'webm') ? 'video/webm' : 'video/x-matroska';
  }
  for (const signature of signatures) {
    if (matches(head, signature.offset, signature.bytes)) return signature.type;
  }
  // An MPEG audio frame without an ID3 tag: 11 sync bits, then a valid layer.
  if (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0 && (head[1]! & 0x06) !== 0) {
    return 'audio/mpeg';
  }
  return null;
}
