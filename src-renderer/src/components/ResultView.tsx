import { useStore } from '../store/instance';

/** A plugin's answer: its message, then its data as label/value rows, each value copyable. */
export function ResultView({ success, message, data }: { success: boolean; message: string; data: unknown }) {
  const notify = useStore((s) => s.notify);
  const rows = dataRows(data);
  const copy = async (value: string) => {
    try {
      await navigator.clipboard.writeText(value);
      notify('info', 'Copied.');
    } catch (error) {
      notify('error', `Could not copy: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  return (
    <div className={`result ${success ? 'result-ok' : 'result-failed'}`} data-testid="action-result" role="status">
      <p className="result-message">
        <strong>{success ? 'Done' : 'Failed'}</strong>
        {message ? `: ${message}` : '.'}
      </p>
      {rows.length > 0 && (
        <dl className="result-data">
          {rows.map(([label, value]) => (
            <div key={label} className="result-row">
              <dt>{label}</dt>
              <dd>
                <code>{value}</code>
                <button type="button" className="text-button" onClick={() => void copy(value)}>
                  Copy
                </button>
              </dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

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
 * A plugin job's result as an action result: jobs keep whatever object the plugin
 * returned, which is usually `{ success, message, data }` but may be any object.
 */
export function jobResultParts(result: Record<string, unknown> | null): { message: string; data: unknown } {
  if (!result) return { message: '', data: null };
  if ('data' in result || 'message' in result) {
    return { message: typeof result.message === 'string' ? result.message : '', data: result.data ?? null };
  }
  const { success: _success, ...rest } = result;
  return { message: '', data: Object.keys(rest).length > 0 ? rest : null };
}
