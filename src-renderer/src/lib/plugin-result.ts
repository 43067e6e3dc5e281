/** Turning what a plugin answers into what the user reads. */

/** Plain values become one row, objects one row per key; nested values are shown as JSON. */
export function dataRows(data: unknown): [string, string][] {
  if (data === null || data === undefined) return [];
  const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  if (typeof data !== 'object' || Array.isArray(data)) return [['Result', text(data)]];
  return Object.entries(data as Record<string, unknown>)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => [key, text(value)]);
}

/**
 * A plugin job's result as an action result. Jobs keep whatever object the plugin
 * returned: `{ success, message, data }`, or its own fields beside a `message` (the
 * checksum plugin's `{ algorithm, digest, message }`), or any other object.
 */
export function jobResultParts(result: Record<string, unknown> | null): { message: string; data: unknown } {
  if (!result) return { message: '', data: null };
  const { success: _success, message, data, ...rest } = result;
  const text = typeof message === 'string' ? message : '';
  if (data !== undefined && data !== null) return { message: text, data };
  return { message: text, data: Object.keys(rest).length > 0 ? rest : null };
}
