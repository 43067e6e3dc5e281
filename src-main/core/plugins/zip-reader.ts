import { crc32, inflateRawSync } from 'node:zlib';

/** Limits that keep a hostile archive from filling the disk or memory. */
export const zipLimits = { entries: 2000, totalBytes: 64 * 1024 * 1024 };

export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

const signatures = { end: 0x06054b50, central: 0x02014b50, local: 0x04034b50 };

/** Refuses names that could land outside the target folder or mean something special. */
export function safeEntryName(name: string): string {
  if (name.includes('\\')) throw new ZipError(`${name}: backslashes are not allowed in names`);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw new ZipError(`${name}: absolute paths are not allowed`);
  const parts = name.split('/');
  if (parts.some((part) => part === '..')) throw new ZipError(`${name}: ".." is not allowed in names`);
  if (name.includes('\0')) throw new ZipError(`${name}: bad character in name`);
  return parts.filter((part) => part !== '' && part !== '.').join('/');
}

function findEnd(zip: Buffer): number {
  const earliest = Math.max(0, zip.length - 22 - 0xffff);
  for (let at = zip.length - 22; at >= earliest; at -= 1) {
    if (zip.readUInt32LE(at) === signatures.end) return at;
  }
  throw new ZipError('not a zip archive (no end of central directory)');
}

/**
 * Reads a .zip held in memory: stored and deflated files only, no encryption, no zip64,
 * no symlinks. Returns file contents by their (checked, normalised) relative names;
 * folders are implied by the names.
 */
export function readZip(zip: Buffer): Map<string, Buffer> {
  if (zip.length < 22) throw new ZipError('not a zip archive (too short)');
  const end = findEnd(zip);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  if (count > zipLimits.entries) throw new ZipError(`more than ${zipLimits.entries} entries`);
  const files = new Map<string, Buffer>();
  let total = 0;
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== signatures.central) {
      throw new ZipError('damaged archive (central directory)');
    }
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const unixMode = zip.readUInt32LE(at + 38) >>> 16;
    const local = zip.readUInt32LE(at + 42);
    const rawName = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength + extraLength + commentLength;

    if (flags & 0x1) throw new ZipError(`${rawName}: encrypted entries are not supported`);
    if (compressed === 0xffffffff || size === 0xffffffff) throw new ZipError(`${rawName}: zip64 is not supported`);
    if ((unixMode & 0o170000) === 0o120000) throw new ZipError(`${rawName}: symbolic links are not allowed`);
    const name = safeEntryName(rawName);
    if (rawName.endsWith('/') || name === '') continue;
    total += size;
    if (total > zipLimits.totalBytes)
      throw new ZipError(`the archive unpacks to more than ${zipLimits.totalBytes} bytes`);

    if (local + 30 > zip.length || zip.readUInt32LE(local) !== signatures.local) {
      throw new ZipError(`${rawName}: damaged archive (local header)`);
    }
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataStart, dataStart + compressed);
    if (data.length !== compressed) throw new ZipError(`${rawName}: damaged archive (truncated data)`);
    let content: Buffer;
    if (method === 0) content = Buffer.from(data);
    else if (method === 8) {
      try {
        content = inflateRawSync(data, { maxOutputLength: Math.max(size, 1) });
      } catch (error) {
        throw new ZipError(`${rawName}: cannot inflate (${(error as Error).message})`);
      }
    } else throw new ZipError(`${rawName}: compression method ${method} is not supported (stored or deflate only)`);
    if (content.length !== size) throw new ZipError(`${rawName}: size does not match the directory`);
    if (crc32(content) >>> 0 !== crc) throw new ZipError(`${rawName}: checksum mismatch`);
    if (files.has(name)) throw new ZipError(`${name}: appears twice`);
    files.set(name, content);
  }
  return files;
}

/** When every file sits in one top folder (a zipped plugin folder), names relative to it. */
export function stripCommonFolder(files: Map<string, Buffer>): Map<string, Buffer> {
  if (files.has('plugin.json')) return files;
  const tops = new Set([...files.keys()].map((name) => name.split('/')[0]));
  if (tops.size !== 1 || [...files.keys()].some((name) => !name.includes('/'))) return files;
  return new Map([...files].map(([name, content]) => [name.slice(name.indexOf('/') + 1), content]));
}
