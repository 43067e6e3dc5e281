import { describe, expect, it } from 'vitest';
import { resourceKind, sourceLabel, typeLabel } from './resource-display';

describe('resource display', () => {
  it('takes the icon from the name first, the content type second', () => {
    expect(resourceKind({ name: 'clip.mkv', contentType: 'application/octet-stream' })).toBe('video');
    expect(resourceKind({ name: 'download', contentType: 'audio/mpeg' })).toBe('audio');
    expect(resourceKind({ name: 'report', contentType: 'application/pdf; charset=binary' })).toBe('document');
    expect(resourceKind({ name: 'bundle', contentType: 'application/x-7z-compressed' })).toBe('archive');
    expect(resourceKind({ name: 'blob', contentType: null })).toBe('file');
  });

  it('labels the type by extension, else by content type, never "OCTET-STREAM"', () => {
    expect(typeLabel({ name: 'a.tar.gz', contentType: null })).toBe('GZ');
    expect(typeLabel({ name: 'noext', contentType: 'image/png' })).toBe('PNG');
    expect(typeLabel({ name: 'noext', contentType: 'application/octet-stream' })).toBe('File');
  });

  it('shows the host of the source', () => {
    expect(sourceLabel('https://cdn.example.org:8443/x/y.zip?a=1')).toBe('cdn.example.org:8443');
    expect(sourceLabel(null)).toBe('');
    expect(sourceLabel('not a url')).toBe('not a url');
  });
});
