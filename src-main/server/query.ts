import { BadRequest } from './reply';

export interface QueryShape {
  /** Fields that must be whole numbers (`limit=10`). */
  integers?: readonly string[];
  /** Fields that must be `true` or `false`. */
  booleans?: readonly string[];
}

type RawQuery = Record<string, string | string[] | undefined>;

/**
 * Turns a query string into a command's input: numbers and booleans converted, each
 * field given at most once. Ranges and unknown fields are left to the contract's schema,
 * so a bad value is refused with the same message as over RPC.
 */
export function queryToInput(query: unknown, shape: QueryShape = {}): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [field, raw] of Object.entries((query ?? {}) as RawQuery)) {
    if (raw === undefined) continue;
    if (Array.isArray(raw)) throw new BadRequest(field, 'given more than once');
    if (shape.integers?.includes(field)) {
      if (!/^-?\d{1,15}$/.test(raw)) throw new BadRequest(field, `must be a whole number, got "${raw}"`);
      input[field] = Number(raw);
    } else if (shape.booleans?.includes(field)) {
      if (raw !== 'true' && raw !== 'false') throw new BadRequest(field, `must be true or false, got "${raw}"`);
      input[field] = raw === 'true';
    } else {
      input[field] = raw;
    }
  }
  return input;
}

/** Reads one optional whole number within bounds, for routes that validate outside the contract. */
export function readInteger(
  query: RawQuery,
  field: string,
  fallback: number,
  bounds: { min: number; max: number },
): number {
  const raw = query[field];
  if (raw === undefined || raw === '') return fallback;
  if (Array.isArray(raw)) throw new BadRequest(field, 'given more than once');
  if (!/^-?\d{1,15}$/.test(raw)) throw new BadRequest(field, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < bounds.min || value > bounds.max) {
    throw new BadRequest(field, `must be between ${bounds.min} and ${bounds.max}, got ${value}`);
  }
  return value;
}

/** A query field a route does not know is refused, named, rather than ignored: a typo must not widen a filter. */
export function refuseUnknownQuery(query: RawQuery, known: readonly string[]): void {
  for (const field of Object.keys(query)) {
    if (!known.includes(field))
      throw new BadRequest(field, `unknown query parameter (known: ${known.join(', ') || 'none'})`);
  }
}
