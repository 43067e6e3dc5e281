import { useState } from 'react';
import type { CertificateDetails, ErrorShape } from '../../../src-common/contract';
import { useStore } from '../store/instance';
import { Modal } from './Modal';

/** The facts a user checks before trusting a certificate (also shown in the dialog). */
export function CertificateFacts({ certificate }: { certificate: CertificateDetails }) {
  const rows: [string, string][] = [
    ['Host', certificate.host],
    ['SHA-256 fingerprint', certificate.fingerprint256],
    ['Subject', certificate.subject ?? '—'],
    ['Issuer', certificate.issuer ?? '—'],
    ['Valid', `${certificate.validFrom ?? '?'} to ${certificate.validTo ?? '?'}`],
  ];
  return (
    <dl className="facts compact certificate-facts">
      {rows.map(([label, value]) => (
        <div key={label} className="fact">
          <dt>{label}</dt>
          <dd className={label.startsWith('SHA') ? 'fingerprint' : undefined}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * On a download that failed on a certificate Haul could not verify: what the certificate
 * is, and a way to trust exactly it for exactly that host:port, confirmed with its
 * fingerprint, then try again. Never a switch that turns checking off.
 */
export function TrustCertificate({ jobId, certificate }: { jobId: string; certificate: CertificateDetails }) {
  const client = useStore((s) => s.client);
  const update = useStore((s) => s.updateSettings);
  const notify = useStore((s) => s.notify);
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<ErrorShape>();
  const [busy, setBusy] = useState(false);
  if (!certificate.fingerprint256) return null;

  async function trust() {
    setBusy(true);
    const current = await client.invoke('settings.get', {});
    const failure = current.ok
      ? await update({
          trustedCertificates: { ...current.value.trustedCertificates, [certificate.host]: certificate.fingerprint256 },
        })
      : current.error;
    if (!failure) {
      const retried = await client.invoke('jobs.retry', { id: jobId });
      if (!retried.ok) notify('error', `Trusted, but the retry failed: ${retried.error.message}`);
      else notify('info', `Certificate trusted for ${certificate.host}; trying again.`);
    }
    setBusy(false);
    setError(failure);
    if (!failure) setAsking(false);
  }

  return (
    <div className="certificate-box" data-testid="untrusted-certificate">
      <CertificateFacts certificate={certificate} />
      <button type="button" className="secondary-button" onClick={() => setAsking(true)}>
        Trust this certificate for {certificate.host}
      </button>
      {asking && (
        <Modal title={`Trust this certificate for ${certificate.host}?`} onClose={() => setAsking(false)}>
          <p>
            Haul will accept this one certificate, and no other, from <strong>{certificate.host}</strong>. Other servers
            are checked as before. Compare the fingerprint with the one your server shows (for a NAS, in its admin page)
            before you trust it.
          </p>
          <CertificateFacts certificate={certificate} />
          {error && (
            <p role="alert" className="error">
              Not trusted: {error.message}
            </p>
          )}
          <div className="dialog-buttons">
            <button type="button" className="secondary-button" onClick={() => setAsking(false)}>
              Cancel
            </button>
            <button type="button" className="primary-button" disabled={busy} onClick={() => void trust()}>
              Trust and try again
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}
