import type { Resource } from '../../../src-common/contract';
import { fileKind, type FileKind } from './job-display';

/** The library's type filter: a MIME prefix the core matches with `contentType`. */
export const typeFilters: { value: string; label: string }[] = [
  { value: '', label: 'All types' },
  { value: 'video/', label: 'Video' },
  { value: 'audio/', label: 'Audio' },
  { value: 'image/', label: 'Images' },
  { value: 'application/pdf', label: 'PDF' },
  { value: 'text/', label: 'Text' },
  { value: 'application/', label: 'Apps & archives' },
];

const byMajorType: Record<string, FileKind> = { video: 'video', audio: 'audio', image: 'image', text: 'document' };

/**
 * The icon of a finished file. The name decides first (the server's content type is
 * often a generic `application/octet-stream`); the content type fills in the rest.
 */
export function resourceKind(resource: Pick<Resource, 'name' | 'contentType'>): FileKind {
  const byName = fileKind(resource.name);
  if (byName !== 'file' || !resource.contentType) return byName;
  const [major, minor = ''] = resource.contentType.split(';')[0]!.trim().toLowerCase().split('/');
  if (major && byMajorType[major]) return byMajorType[major];
  if (minor === 'pdf') return 'document';
  if (/zip|tar|gzip|x-7z|rar|compressed/.test(minor)) return 'archive';
  return 'file';
}

/** A short type word for the list: `PDF`, `MP4`, else the content type's last part. */
export function typeLabel(resource: Pick<Resource, 'name' | 'contentType'>): string {
  const extension = /\.([a-z0-9]{1,8})$/i.exec(resource.name)?.[1];
  if (extension) return extension.toUpperCase();
  const minor = resource.contentType?.split(';')[0]?.split('/')[1];
  return minor && minor !== 'octet-stream' ? minor.toUpperCase() : 'File';
}

/** Where a file came from, short: the host, else the whole URL. */
export function sourceLabel(url: string | null): string {
  if (!url) return '';
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
