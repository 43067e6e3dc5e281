/** Errors as every boundary carries them: a kind from one closed list and a message. */
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

export const ErrorShape = z.object({
  kind: z.enum(errorKinds),
  message: z.string(),
});
export type ErrorShape = z.infer<typeof ErrorShape>;

/** What every command answers, over IPC and HTTP alike. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };
