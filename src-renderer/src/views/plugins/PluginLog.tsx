import { useEffect, useState } from 'react';
import type { ErrorShape } from '../../../../src-common/contract';
import { useStore } from '../../store/instance';

/**
 * A plugin's recent log (plugins.log), read when opened and on Refresh: the core keeps the
 * lines, and nothing announces a new one, so there is nothing to subscribe to.
 */
export function PluginLog({ name }: { name: string }) {
  const client = useStore((s) => s.client);
  const [lines, setLines] = useState<string[]>();
  const [error, setError] = useState<ErrorShape>();

  // Refresh bumps this, which reads the log again.
  const [reads, setReads] = useState(0);

  useEffect(() => {
    let current = true;
    void client.invoke('plugins.log', { name }).then((answer) => {
      if (!current) return;
      if (answer.ok) {
        setLines(answer.value.lines);
        setError(undefined);
      } else setError(answer.error);
    });
    return () => {
      current = false;
    };
  }, [client, name, reads]);

  return (
    <div className="plugin-log" data-testid={`plugin-log-${name}`}>
      <div className="plugin-log-head">
        <h3>Recent log</h3>
        <button type="button" className="text-button" onClick={() => setReads(reads + 1)}>
          Refresh
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          Could not read the log: {error.message}
        </p>
      )}
      {!lines && !error && <p className="muted">Reading the log…</p>}
      {lines?.length === 0 && <p className="muted">Nothing logged yet.</p>}
      {lines && lines.length > 0 && (
        <pre className="log" aria-label={`${name} log`} tabIndex={0}>
          {lines.join('\n')}
        </pre>
      )}
    </div>
  );
}
