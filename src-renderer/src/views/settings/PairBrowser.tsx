import { useState } from 'react';
import type { Settings } from '../../../../src-common/contract';
import { useStore } from '../../store/instance';
import { isExtensionOrigin, pairingCode } from './pairing-code';

/**
 * "Pair a browser": the code the Haul extension's options page takes, which is the API's
 * address with the token. Pairing records the extension's origin; the list shows them.
 */
export function PairBrowser({ settings }: { settings: Settings }) {
  const client = useStore((s) => s.client);
  const notify = useStore((s) => s.notify);
  const reportError = useStore((s) => s.reportError);
  const [code, setCode] = useState<string>();
  const desktop = client.transport === 'ipc';
  const paired = settings.allowedOrigins.filter(isExtensionOrigin);
  const base = desktop ? `http://127.0.0.1:${settings.apiPort}` : window.location.origin;

  async function show() {
    const answer = await client.invoke('api.token', {});
    if (answer.ok) setCode(pairingCode(base, answer.value.token));
    else reportError('Could not read the token', answer.error);
  }

  async function copy() {
    if (!code) return;
    try {
      await navigator.clipboard.writeText(code);
      notify('info', 'Pairing code copied: paste it in the extension’s options.');
    } catch (error) {
      notify('error', `Could not copy: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  return (
    <div className="setting stacked" data-testid="pair-browser">
      <span className="setting-text">
        <span className="field-label">Pair a browser</span>
        <span className="muted">
          Paste this code in the Haul extension’s options once. It holds the token: keep it private.
          {paired.length > 0
            ? ` Paired: ${paired.join(', ')} (remove one from Allowed origins to unpair it).`
            : ' No browser is paired yet.'}
        </span>
      </span>
      {desktop && !settings.apiEnabled ? (
        <span className="muted">Turn on the local API to pair a browser.</span>
      ) : (
        <div className="token-row">
          <code className="path-line token-value" data-testid="pairing-code">
            {code ?? '••••••••••••••••••••••••••••••••'}
          </code>
          {code ? (
            <button type="button" className="secondary-button" onClick={() => void copy()}>
              Copy code
            </button>
          ) : (
            <button type="button" className="secondary-button" onClick={() => void show()}>
              Show pairing code
            </button>
          )}
        </div>
      )}
    </div>
  );
}
