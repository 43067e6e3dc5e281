import type { z } from 'zod';
import type { ErrorDetails, ErrorKind, ErrorShape } from '../../src-common/contract';

/** An error the core means to show: its kind decides the HTTP status and the UI's wording. */
export class HaulError extends Error {
  readonly kind: ErrorKind;
  readonly details: ErrorDetails | undefined;

  constructor(kind: ErrorKind, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'HaulError';
    this.kind = kind;
    this.details = details;
  }
}

/** Turns anything thrown into the envelope's error; unknown errors become `internal`. */
export function toErrorShape(error: unknown): ErrorShape {
  if (error instanceof HaulError) {
    return { kind: error.kind, message: error.message, ...(error.details ? { details: error.details } : {}) };
  }
  if (cannotSave(error)) {
    const next = isFull(error) ? 'Free some space and try again.' : 'Check the disk and try again.';
    return { kind: 'unavailable', message: `${cannotSaveMessage(error)} ${next}` };
  }
  if (isDamaged(error)) return { kind: 'unavailable', message: damagedMessage };
  return { kind: 'internal', message: unexpectedMessage(error) };
}

/** What the user is told of an error nothing expected (a bug): its own message, marked as such. */
export function unexpectedMessage(error: unknown): string {
  return `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}

/** Names the first offending field, e.g. `url: Invalid URL`, so the user knows what to fix. */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'Invalid input';
  const path = issue.path.length > 0 ? issue.path.join('.') : 'input';
  return `${path}: ${issue.message}`;
}

/** A refused input as an error naming its first offending field, in the message and the details. */
export function invalidInput(error: z.ZodError): HaulError {
  const path = error.issues[0]?.path ?? [];
  return new HaulError('invalid_input', describeIssues(error), path.length > 0 ? { field: path.join('.') } : undefined);
}

/** A multi-line input none of whose lines could be taken: the first in the message, all in the details. */
export function noLineTaken(field: string, problems: readonly { line: number; text: string; message: string }[]) {
  const lines = [...problems].sort((a, b) => a.line - b.line);
  const first = lines[0];
  const message = first ? `${field}: line ${first.line}: ${first.message}` : `${field}: nothing given`;
  return new HaulError('invalid_input', message, { field, lines });
}

/**
 * SQLite could not write Haul's database: the disk that holds it is full, or failing. The
 * same write may succeed later; nothing in the database is damaged by the refusal.
 */
export function cannotSave(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR'));
}

/** What `cannotSave` errors tell the user. */
export function cannotSaveMessage(error: unknown): string {
  return `Haul could not save to its database: the disk that holds it ${isFull(error) ? 'is full' : 'reported an error'}.`;
}

function isFull(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_FULL';
}

/** SQLite found a page of the database damaged (or the file is not a database at all). */
export function isDamaged(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/** What to do about a damaged page met while running. */
export const damagedAdvice =
  'Restart Haul: it checks the database as it starts, moves a damaged file aside and keeps every job that can still be read.';

const damagedMessage = `Part of Haul's database is damaged, so this could not be read. ${damagedAdvice}`;
