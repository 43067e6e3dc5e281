import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

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
export async function recordOrigin(path: string, url: string): Promise<void> {
  if (process.platform !== 'linux') return;
  const value = originUrl(url);
  // setfattr reads values starting with 0x/0s as hex/base64; a URL never does.
  if (!/^https?:/iu.test(value)) return;
  // Looked up once: starting a process that is not there still costs a fork per file.
  const tool = await (setfattr ??= findOnPath('setfattr'));
  if (tool === null) return;
  await new Promise<void>((resolve) => {
    execFile(tool, ['-n', 'user.xdg.origin.url', '-v', value, '--', path], { timeout: 2_000 }, () => resolve());
  });
}

let setfattr: Promise<string | null> | undefined;

/** The first executable `name` on PATH, or null. */
export async function findOnPath(name: string, path = process.env.PATH ?? ''): Promise<string | null> {
  for (const folder of path.split(delimiter).filter(Boolean)) {
    const candidate = join(folder, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return null;
}
