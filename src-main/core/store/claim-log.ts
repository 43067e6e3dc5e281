import { createHash } from 'node:crypto';
import { closeSync, constants, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { privateFileMode } from './private-files';

/** Past this size the held changes are written at once, so the log can be emptied. @default 4 MiB */
export const claimLogBound = 4 * 1024 * 1024;

/** The claim of a job as a line of the log. */
export interface Claim {
  id: string;
  /** `stateDigest` of the resume state SQLite held for the job when the claim was made. */
  before: string;
  resumeState: Record<string, unknown>;
  /** The name the download took. */
  fileName: string;
}

/** A short digest of a resume state, by its JSON: what SQLite held, compared after a crash. */
export function stateDigest(state: Record<string, unknown> | null): string {
  if (state === null) return 'null';
  return createHash('sha256').update(JSON.stringify(state)).digest('base64url').slice(0, 22);
}

const appendFlags = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0);

/**
 * The claims a crash must find (a download's name and the state that owns it, recorded
 * before its part file exists), appended to a file beside the database instead of each
 * committed to SQLite on its own: one `write`, where a commit of its own cost a small
 * file about a tenth of its time. The write is as durable as a commit here: SQLite runs
 * with `synchronous = NORMAL`, so a commit, like this write, survives the process
 * killed and not the machine losing power.
 *
 * A claim stays held in the job registry and reaches SQLite with the job's next write
 * (within a second); once SQLite holds every claim the log has, the log is emptied. After
 * a crash, `readClaims` gives each job's last claim, and the registry takes it only where
 * SQLite still holds the state it replaced (see JobRegistry.restoreClaims). One process
 * writes a data folder's log, as its database (`haul serve` refuses a folder another Haul
 * runs on).
 */
export class ClaimLog {
  /** Jobs whose logged claim SQLite does not hold yet. */
  private readonly unwritten = new Set<string>();
  private size = 0;
  private fd: number | null = null;
  /** A write went short: lines after it would join its torn end, so none is added until emptied. */
  private torn = false;

  constructor(private readonly file: string) {}

  /** The last claim of each job in the log, in the order they were made; a torn line is skipped. */
  readClaims(): Claim[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') {
        console.warn(
          `haul: The claim log ${this.file} could not be read (${code ?? String(error)}): a download a crash ` +
            'interrupted before its name was saved starts again under a name of its own.',
        );
      }
      return [];
    }
    // What is there counts toward the bound until the log is emptied.
    this.size = Buffer.byteLength(text);
    const last = new Map<string, Claim>();
    for (const line of text.split('\n')) {
      const claim = parseClaim(line);
      if (!claim) continue;
      last.delete(claim.id);
      last.set(claim.id, claim);
    }
    return [...last.values()];
  }

  /**
   * Appends a claim; false when the line could not be written (the disk full): the
   * caller writes the claim to SQLite instead.
   */
  append(claim: Claim): boolean {
    if (this.torn) return false;
    const line = `${JSON.stringify(claim)}\n`;
    try {
      this.fd ??= openSync(this.file, appendFlags, privateFileMode);
      const wrote = writeSync(this.fd, line);
      this.size += wrote;
      // A short write leaves a torn line, skipped when read: the claim goes to SQLite.
      if (wrote !== Buffer.byteLength(line)) {
        this.torn = true;
        return false;
      }
    } catch {
      return false;
    }
    this.unwritten.add(claim.id);
    return true;
  }

  /** A claim read from the log is taken, and stays there until SQLite holds it. */
  carry(id: string): void {
    this.unwritten.add(id);
  }

  /** SQLite holds the job's claim now (written with the job, or the job deleted). */
  written(id: string): void {
    if (!this.unwritten.delete(id) || this.unwritten.size > 0) return;
    this.empty();
  }

  /** Empties the log when SQLite holds every claim in it. */
  emptyIfWritten(): void {
    if (this.unwritten.size === 0) this.empty();
  }

  /** True when the log holds more than `claimLogBound`: its claims are due in SQLite. */
  get full(): boolean {
    return this.size > claimLogBound;
  }

  /** Every claim is in SQLite: the log starts again from nothing. */
  empty(): void {
    this.unwritten.clear();
    this.size = 0;
    try {
      if (this.fd !== null) ftruncateSync(this.fd, 0);
      else closeSync(openSync(this.file, appendFlags | constants.O_TRUNC, privateFileMode));
      this.torn = false;
    } catch {
      // Not emptied: its lines are checked against SQLite after a crash all the same.
    }
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}

function parseClaim(line: string): Claim | null {
  if (line === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { id, before, resumeState, fileName } = value as Record<string, unknown>;
  if (typeof id !== 'string' || typeof before !== 'string' || typeof fileName !== 'string') return null;
  if (!isRecord(resumeState)) return null;
  return { id, before, resumeState, fileName };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
