import { execFile } from 'node:child_process';

/** A URL without its user name and password: those never go into file metadata. */
export function originUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return url;
  }
}

/**
 * Records where a file came from in `user.xdg.origin.url`, as browsers do on Linux.
 * Best effort without a native module: `setfattr` when installed; any failure (no
 * tool, a file system without user xattrs, another OS) is silently skipped.
 */
export function recordOrigin(path: string, url: string): Promise<void> {
  if (process.platform !== 'linux') return Promise.resolve();
  const value = originUrl(url);
  // setfattr reads values starting with 0x/0s as hex/base64; a URL never does.
  if (!/^https?:/iu.test(value)) return Promise.resolve();
  return new Promise((resolve) => {
    execFile('setfattr', ['-n', 'user.xdg.origin.url', '-v', value, '--', path], { timeout: 2_000 }, () => resolve());
  });
}
