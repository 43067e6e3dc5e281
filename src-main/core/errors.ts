import type { z } from 'zod';
import type { ErrorKind, ErrorShape } from '../../src-common/contract';

/** An error the core means to show: its kind decides the HTTP status and the UI's wording. */
export class HaulError extends Error {
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, message: string) {
    super(message);
    this.name = 'HaulError';
    this.kind = kind;
  }
}

/** Turns anything thrown into the envelope's error; unknown errors become `internal`. */
export function toErrorShape(error: unknown): ErrorShape {
  if (error instanceof HaulError) return { kind: error.kind, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'internal', message: `Unexpected error: ${message}` };
}

/** Names the first offending field, e.g. `url: Invalid URL`, so the user knows what to fix. */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'Invalid input';
  const path = issue.path.length > 0 ? issue.path.join('.') : 'input';
  return `${path}: ${issue.message}`;
}
