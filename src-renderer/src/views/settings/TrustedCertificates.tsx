import { useState } from 'react';
import type { ErrorShape, Settings } from '../../../../src-common/contract';
import { useStore } from '../../store/instance';

/** The certificates trusted by fingerprint, one host:port each, and a way to remove each. */
export function TrustedCertificates({ settings }: { settings: Settings }) {
  const update = useStore((s) => s.updateSettings);
  const [error, setError] = useState<ErrorShape>();
  const entries = Object.entries(settings.trustedCertificates).sort(([a], [b]) => a.localeCompare(b));

  async function remove(host: string) {
    const rest = { ...settings.trustedCertificates };
    delete rest[host];
    setError(await update({ trustedCertificates: rest }));
  }

  return (
    <section
      className="card settings-group trusted-certificates-card"
      data-testid="settings-certificates"
      aria-labelledby="certificates-title"
    >
      <h2 id="certificates-title">Trusted certificates</h2>
      <p className="muted">
        Certificates Haul accepts although it cannot verify them (a NAS or a home lab that signs its own), each for one
        host and port only. Trust one from a download that failed on it.
      </p>
      {entries.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="trusted-certificates">
          {entries.map(([host, fingerprint]) => (
            <li key={host}>
              <strong>{host}</strong>
              <code className="fingerprint">{fingerprint}</code>
              <button
                type="button"
                className="secondary-button"
                aria-label={`Remove the certificate trusted for ${host}`}
                onClick={() => void remove(host)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p role="alert" className="error">
          Not removed: {error.message}
        </p>
      )}
    </section>
  );
}
