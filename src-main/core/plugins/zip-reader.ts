import { open } from 'node:fs/promises';
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

function findEnd(tail: Buffer): number {
  for (let at = tail.length - 22; at >= 0; at -= 1) {
    if (tail.readUInt32LE(at) === signatures.end) return at;
  }
  throw new ZipError('not a zip archive (no end of central directory)');
}

/** Bytes of the archive by position: a Buffer in memory, or a file read piece by piece. */
export interface ZipSource {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
}

export function bufferSource(zip: Buffer): ZipSource {
  return { size: zip.length, read: async (offset, length) => zip.subarray(offset, offset + length) };
}

/** Finder's companions (`__MACOSX/`, `._name`, `.DS_Store`): not part of any plugin. */
function isMacMetadata(name: string): boolean {
  const parts = name.split('/');
  const base = parts.at(-1) ?? '';
  return parts[0] === '__MACOSX' || base.startsWith('._') || base === '.DS_Store';
}

interface Entry {
  rawName: string;
  name: string;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  local: number;
}

/** The central directory's entries, checked (names, limits) before any file data is read. */
async function entriesOf(source: ZipSource): Promise<Entry[]> {
  if (source.size < 22) throw new ZipError('not a zip archive (too short)');
  const tailStart = Math.max(0, source.size - 22 - 0xffff);
  const tail = await source.read(tailStart, source.size - tailStart);
  const end = findEnd(tail);
  const count = tail.readUInt16LE(end + 10);
  const dirSize = tail.readUInt32LE(end + 12);
  const dirStart = tail.readUInt32LE(end + 16);
  if (count > zipLimits.entries) throw new ZipError(`more than ${zipLimits.entries} entries`);
  if (dirStart + dirSize > source.size) throw new ZipError('damaged archive (central directory)');
  const dir = await source.read(dirStart, dirSize);
  const entries: Entry[] = [];
  let total = 0;
  let at = 0;
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > dir.length || dir.readUInt32LE(at) !== signatures.central) {
      throw new ZipError('damaged archive (central directory)');
    }
    const flags = dir.readUInt16LE(at + 8);
    const method = dir.readUInt16LE(at + 10);
    const crc = dir.readUInt32LE(at + 16);
    const compressed = dir.readUInt32LE(at + 20);
    const size = dir.readUInt32LE(at + 24);
    const nameLength = dir.readUInt16LE(at + 28);
    const extraLength = dir.readUInt16LE(at + 30);
    const commentLength = dir.readUInt16LE(at + 32);
    const unixMode = dir.readUInt32LE(at + 38) >>> 16;
    const local = dir.readUInt32LE(at + 42);
    const rawName = dir.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength + extraLength + commentLength;

    if (flags & 0x1) throw new ZipError(`${rawName}: encrypted entries are not supported`);
    if (compressed === 0xffffffff || size === 0xffffffff) throw new ZipError(`${rawName}: zip64 is not supported`);
    if ((unixMode & 0o170000) === 0o120000) throw new ZipError(`${rawName}: symbolic links are not allowed`);
    const name = safeEntryName(rawName);
    if (rawName.endsWith('/') || name === '' || isMacMetadata(name)) continue;
    total += size;
    if (total > zipLimits.totalBytes)
      throw new ZipError(`the archive unpacks to more than ${zipLimits.totalBytes} bytes`);
    // Deflate never grows data by more than a little: a bigger claim is a lie to make us read.
    if (compressed > size + Math.ceil(size / 100) + 1024) throw new ZipError(`${rawName}: damaged archive (sizes)`);
    entries.push({ rawName, name, method, crc, compressed, size, local });
  }
  return entries;
}

async function contentOf(source: ZipSource, entry: Entry): Promise<Buffer> {
  const { rawName, local, compressed, size } = entry;
  const header = local + 30 <= source.size ? await source.read(local, 30) : Buffer.alloc(0);
  if (header.length < 30 || header.readUInt32LE(0) !== signatures.local) {
    throw new ZipError(`${rawName}: damaged archive (local header)`);
  }
  const dataStart = local + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const data = await source.read(dataStart, compressed);
  if (data.length !== compressed) throw new ZipError(`${rawName}: damaged archive (truncated data)`);
  let content: Buffer;
  if (entry.method === 0) content = Buffer.from(data);
  else if (entry.method === 8) {
    try {
      content = inflateRawSync(data, { maxOutputLength: Math.max(size, 1) });
    } catch (error) {
      throw new ZipError(`${rawName}: cannot inflate (${(error as Error).message})`);
    }
  } else throw new ZipError(`${rawName}: compression method ${entry.method} is not supported (stored or deflate only)`);
  if (content.length !== size) throw new ZipError(`${rawName}: size does not match the directory`);
  if (crc32(content) >>> 0 !== entry.crc) throw new ZipError(`${rawName}: checksum mismatch`);
  return content;
}

/**
 * Reads a .zip: stored and deflated files only, no encryption, no zip64, no symlinks;
 * Finder's `__MACOSX/` companions are skipped. Only the directory and one entry at a
 * time are read, so a huge archive is refused without being loaded. Returns file
 * contents by their (checked, normalised) relative names; folders are implied.
 */
export async function readZipFrom(source: ZipSource): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await entriesOf(source)) {
    if (files.has(entry.name)) throw new ZipError(`${entry.name}: appears twice`);
    files.set(entry.name, await contentOf(source, entry));
  }
  return files;
}

/** readZipFrom over a file, read piece by piece. */
export async function readZipFile(path: string): Promise<Map<string, Buffer>> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    return await readZipFrom({
      size,
      read: async (offset, length) => {
        const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        return buffer.subarray(0, bytesRead);
      },
    });
  } finally {
    await handle.close();
  }
}

/** readZipFrom over a Buffer in memory. */
export function readZip(zip: Buffer): Promise<Map<string, Buffer>> {
  return readZipFrom(bufferSource(zip));
}

/** When every file sits in one top folder (a zipped plugin folder), names relative to it. */
export function stripCommonFolder(files: Map<string, Buffer>): Map<string, Buffer> {
  if (files.has('plugin.json')) return files;
  const tops = new Set([...files.keys()].map((name) => name.split('/')[0]));
  if (tops.size !== 1 || [...files.keys()].some((name) => !name.includes('/'))) return files;
  return new Map([...files].map(([name, content]) => [name.slice(name.indexOf('/') + 1), content]));
}
