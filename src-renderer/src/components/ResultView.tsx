import { dataRows } from '../lib/plugin-result';
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
