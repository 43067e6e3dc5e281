import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A self-signed certificate for 127.0.0.1, as a NAS or a home lab serves, made by openssl
 * (node:crypto signs but cannot make an X.509 certificate). Valid for two days.
 */
export function selfSignedCertificate(subject: string): { key: Buffer; cert: Buffer; fingerprint: string } {
  const folder = mkdtempSync(join(tmpdir(), 'haul-cert-'));
  try {
    const [key, cert] = [join(folder, 'key.pem'), join(folder, 'cert.pem')];
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'].concat(
        ['-keyout', key, '-out', cert, '-days', '2', '-subj', subject],
        ['-addext', 'subjectAltName=IP:127.0.0.1'],
      ),
      { stdio: 'ignore' },
    );
    const tls = { key: readFileSync(key), cert: readFileSync(cert) };
    return { ...tls, fingerprint: new X509Certificate(tls.cert).fingerprint256 };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
