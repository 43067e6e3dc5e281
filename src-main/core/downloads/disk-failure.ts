import { JobFailure } from '../jobs/runner';

/**
 * File system errors of a download's folder or file, as the user is told of them. Apart
 * from the network's failures so that a folder can be checked (a setting) without
 * loading the engine.
 */
const diskCodes: Record<string, string> = {
  ENOSPC: 'The disk is full',
  EDQUOT: 'The disk quota is exceeded',
  EACCES: 'Permission denied',
  EPERM: 'Permission denied',
  EROFS: 'The disk is read-only',
  ENOTDIR: 'A file is in the way of the folder',
  EISDIR: 'A folder is in the way',
  ENOENT: 'The folder does not exist',
  ELOOP: 'A symbolic link is in the way',
  EMFILE: 'Too many open files',
  EFBIG: "The file is too large for this folder's file system, FAT32 perhaps, which keeps files under 4 GiB",
  ENAMETOOLONG: 'The path is too long',
  EIO: 'The disk reported an error reading or writing',
  ENODEV: 'The disk is gone',
  ENXIO: 'The disk is gone',
};

/** A file system error of the download's folder or file, as the user is told of it. */
export class DiskFailure extends JobFailure {
  constructor(
    readonly code: string,
    readonly where: string,
    kept: boolean,
  ) {
    super('disk', `${diskCodes[code]} (${where}). ${diskNextStep(code, kept)}`, { transient: code === 'EMFILE' });
  }

  /** The same failure once its part file was removed (a download that cannot resume). */
  withoutPart(): DiskFailure {
    return new DiskFailure(this.code, this.where, false);
  }
}

/**
 * A file system error as a `disk` failure, naming where; null for other errors. `kept`:
 * the download's part file is there for the next attempt; false before it was made
 * (the folder's checks, the name's, the file's creation), when there is none to speak of.
 */
export function diskFailure(error: unknown, where: string, kept = true): DiskFailure | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (!code || !(code in diskCodes)) return null;
  return new DiskFailure(code, where, kept);
}

function diskNextStep(code: string, kept: boolean): string {
  // Nothing to fix in place when the file system caps a file's size.
  if (code === 'EFBIG') return 'Download it into a folder on another disk.';
  return kept ? 'The partial file was kept: fix this and retry.' : 'Fix this and try again.';
}

/** What a file system error says of `where`, without a next step; null for other errors. */
export function diskProblem(error: unknown, where: string): string | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code && code in diskCodes ? `${diskCodes[code]} (${where})` : null;
}
