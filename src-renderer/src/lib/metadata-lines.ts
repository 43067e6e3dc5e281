/** A task's metadata as key/value lines: any JSON a creator sent, shown as plain text. */

/** Longest value shown in full; the rest is cut with an ellipsis (the title holds more). */
export const metadataValueMax = 120;
/** Lines shown at most; a creator may send hundreds of keys. */
export const metadataLinesMax = 12;

export interface MetadataLine {
  key: string;
  value: string;
  /** The whole value (itself capped) for a tooltip, when `value` was cut. */
  full: string | undefined;
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value === '' ? '(empty)' : value;
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    // Objects arrive as parsed JSON; a cycle or a throwing toJSON still must not break the view.
    return JSON.stringify(value) ?? String(value);
  } catch {
    return '[unreadable]';
  }
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never between the two halves of a character beyond the first plane (an emoji): one
  // half alone shows as �.
  const last = text.charCodeAt(max - 2);
  const end = last >= 0xd800 && last <= 0xdbff ? max - 2 : max - 1;
  return `${text.slice(0, end)}…`;
}

/** The first `metadataLinesMax` entries as lines, plus how many were left out. */
export function metadataLines(metadata: Record<string, unknown> | null | undefined): {
  lines: MetadataLine[];
  more: number;
} {
  const entries = Object.entries(metadata ?? {});
  const lines = entries.slice(0, metadataLinesMax).map(([key, raw]) => {
    const text = stringify(raw);
    return {
      key: cut(key, 60),
      value: cut(text, metadataValueMax),
      full: text.length > metadataValueMax ? cut(text, 2000) : undefined,
    };
  });
  return { lines, more: Math.max(0, entries.length - metadataLinesMax) };
}
