import contentDisposition from 'content-disposition';
import { cleanFileName, sanitizeFileName, splitExtension } from './file-name';

/** Extensions for the types a server most often sends without a name to go with them. */
const extensionByType: Record<string, string> = {
  'application/pdf': '.pdf',
  'application/zip': '.zip',
  'application/gzip': '.gz',
  'application/x-gzip': '.gz',
  'application/x-7z-compressed': '.7z',
  'application/vnd.rar': '.rar',
  'application/x-tar': '.tar',
  'application/json': '.json',
  'application/xml': '.xml',
  'application/javascript': '.js',
  'application/x-msdownload': '.exe',
  'application/vnd.microsoft.portable-executable': '.exe',
  'application/x-iso9660-image': '.iso',
  'text/plain': '.txt',
  'text/html': '.html',
  'text/css': '.css',
  'text/csv': '.csv',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/svg+xml': '.svg',
  'audio/mpeg': '.mp3',
  'audio/ogg': '.ogg',
  'audio/flac': '.flac',
  'audio/wav': '.wav',
  'video/mp4': '.mp4',
  'video/webm': '.webm',
  'video/x-matroska': '.mkv',
};

/** `type/subtype` in lower case, without parameters, or null. */
export function mediaType(contentType: string | null | undefined): string | null {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type && /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/u.test(type) ? type : null;
}

/** The name a Content-Disposition header gives, `filename*` first; null when unusable. */
export function nameFromDisposition(header: string | null | undefined): string | null {
  if (!header) return null;
  try {
    // The parser already prefers the decoded `filename*` over `filename`.
    const name = contentDisposition.parse(header).parameters['filename'];
    return typeof name === 'string' && name.trim() !== '' ? name : null;
  } catch {
    // Servers send malformed headers (unquoted slashes, stray quotes); browsers still use
    // the name, and it is sanitised next anyway.
    const loose = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/iu.exec(header);
    const name = (loose?.[1] ?? loose?.[2])?.trim();
    return name ? name : null;
  }
}

/** The last segment of the URL's path, percent-decoded; null when there is none. */
export function nameFromUrl(url: string): string | null {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return null;
  }
  const last = pathname
    .split('/')
    .filter((part) => part !== '')
    .pop();
  if (!last) return null;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/**
 * A server's name, cleaned, and shown: leading dots go, since a hidden file is one the
 * user does not see arrive and one a shell or a desktop may read at start (`.bashrc`,
 * `.profile`, in a home folder chosen for downloads). A name the user typed keeps them.
 */
function serverName(raw: string | null): string | null {
  const cleaned = raw && cleanFileName(raw);
  // Cleaned first: an invisible character in front must not shield the dot.
  return cleaned && cleanFileName(cleaned.replace(/^[.\s]+/u, ''));
}

/**
 * The safe name for a response: Content-Disposition, else the URL path, else `download`;
 * an extension from Content-Type when the name has none.
 */
export function chooseFileName(input: {
  disposition: string | null | undefined;
  url: string;
  contentType: string | null | undefined;
}): string {
  let name = serverName(nameFromDisposition(input.disposition)) ?? serverName(nameFromUrl(input.url)) ?? 'download';
  const ext = extensionByType[mediaType(input.contentType) ?? ''];
  if (ext && splitExtension(name).ext === '') name = sanitizeFileName(name + ext);
  return name;
}
