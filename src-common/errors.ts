/**
 * Errors as every boundary carries them: a kind from one closed list, a message for people
 * and structured details for programs, so no client parses a message.
 */
import { z } from 'zod';

/** The closed list of error kinds. Every error that leaves the core carries one. */
export const errorKinds = [
  'invalid_input',
  'not_found',
  'conflict',
  'unauthorized',
  'forbidden',
  'unavailable',
  'internal',
] as const;
export type ErrorKind = (typeof errorKinds)[number];

/** One refused line of a multi-line input (e.g. a submit of several URLs), 1-based. */
export const LineProblem = z.object({
  line: z.number().int(),
  text: z.string(),
  message: z.string(),
  /** A URL already in the list, or on an earlier line: a submit with `force` takes it. */
  duplicate: z.literal(true).optional(),
});
export type LineProblem = z.infer<typeof LineProblem>;

export const ErrorDetails = z.object({
  /** The input field at fault, as a dotted path: `url`, `headers.Cookie`, `params.count`. */
  field: z.string().optional(),
  /** Every refused line, when the input is one item per line. */
  lines: z.array(LineProblem).optional(),
});
export type ErrorDetails = z.infer<typeof ErrorDetails>;

export const ErrorShape = z.object({
  kind: z.enum(errorKinds),
  message: z.string(),
  details: ErrorDetails.optional(),
});
export type ErrorShape = z.infer<typeof ErrorShape>;

/** What every command answers, over IPC and HTTP alike. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };
