import { useState } from 'react';
import { rememberToken } from '../../api/client';
import { useStore } from '../../store/instance';

/**
 * The local API's token: hidden until asked for, copyable, and replaceable. A browser
 * page signs in with this token, so after a regenerate it keeps the new one.
 */
export function ApiToken() {
  const client = useStore((s) => s.client);
  const notify = useStore((s) => s.notify);
  const reportError = useStore((s) => s.reportError);
  const [token, setToken] = useState<string>();
  const [confirming, setConfirming] = useState(false);

  async function reveal() {
    const answer = await client.invoke('api.token', {});
    if (answer.ok) setToken(answer.value.token);
    else reportError('Could not read the token', answer.error);
  }

  async function regenerate() {
    setConfirming(false);
    const answer = await client.invoke('api.regenerateToken', {});
    if (!answer.ok) return reportError('Could not make a new token', answer.error);
    if (client.transport === 'http') rememberToken(answer.value.token);
    setToken(answer.value.token);
    notify('info', 'New token made; the old one no longer works.');
  }

  async function copy() {
    if (!token) return;
    try {
      await navigator.clipboard.writeText(token);
      notify('info', 'Token copied.');
    } catch (error) {
      notify('error', `Could not copy: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  return (
    <div className="setting stacked" data-testid="api-token">
      <span className="setting-text">
        <span className="field-label">Token</span>
        <span className="muted">Scripts and extensions send it as “Authorization: Bearer …”. Keep it private.</span>
      </span>
      <div className="token-row">
        <code className="path-line token-value">{token ?? '••••••••••••••••••••••••••••••••'}</code>
        {token ? (
          <button type="button" className="secondary-button" onClick={() => void copy()}>
            Copy
          </button>
        ) : (
          <button type="button" className="secondary-button" onClick={() => void reveal()}>
            Reveal
          </button>
        )}
        {confirming ? (
          <button type="button" className="danger-button" onClick={() => void regenerate()}>
            Replace it now
          </button>
        ) : (
          <button type="button" className="secondary-button" onClick={() => setConfirming(true)}>
            Regenerate…
          </button>
        )}
      </div>
    </div>
  );
}
