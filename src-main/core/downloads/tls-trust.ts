import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { buildConnector as BuildConnector } from 'undici';
import { buildConnector } from './undici-parts';

/**
 * Certificates the user trusts one at a time: `host:port` -> the SHA-256 fingerprint of
 * the server's own (leaf) certificate, as `AB:CD:…`. Read at each new connection.
 */
export type CertificatePins = () => Readonly<Record<string, string>>;

/** What the user is shown to decide whether to trust a certificate. */
export interface CertificateFacts {
  /** `host:port` the certificate was presented for. */
  host: string;
  fingerprint256: string;
  subject: string | null;
  issuer: string | null;
  validFrom: string | null;
  validTo: string | null;
  /** The TLS error code (`DEPTH_ZERO_SELF_SIGNED_CERT`…) or `PIN_MISMATCH`. */
  reason: string;
}

/** A connection refused because its certificate is neither valid nor the one pinned for its host. */
export class UntrustedCertificate extends Error {
  readonly code: string;

  constructor(readonly facts: CertificateFacts) {
    super(`untrusted certificate for ${facts.host}: ${facts.reason}`);
    this.name = 'UntrustedCertificate';
    this.code = facts.reason;
  }
}

function name(part: PeerCertificate['subject'] | undefined): string | null {
  if (!part) return null;
  const cn = part.CN;
  const o = part.O;
  const text = [Array.isArray(cn) ? cn.join(', ') : cn, Array.isArray(o) ? o.join(', ') : o].filter(Boolean);
  return text.length > 0 ? text.join(' / ') : null;
}

/** `host:port` as pins are keyed: lower case, IPv6 in brackets, the port always written. */
export function pinKey(hostname: string, port: string, protocol: string): string {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return `${host.includes(':') ? `[${host}]` : host}:${port || (protocol === 'https:' ? '443' : '80')}`;
}

/**
 * The verdict on a finished handshake, before any byte of the request is written: a
 * pinned host must present exactly its pinned certificate (valid or not); any other host
 * a certificate that Node verified (chain and host name). Null: go ahead.
 */
export function judge(
  socket: TLSSocket,
  key: string,
  pins: Readonly<Record<string, string>>,
): UntrustedCertificate | null {
  const pin = pins[key];
  if (pin === undefined && socket.authorized) return null;
  const cert = socket.getPeerCertificate();
  const fingerprint256 = cert?.fingerprint256 ?? '';
  if (pin !== undefined && fingerprint256 !== '' && fingerprint256 === pin.toUpperCase()) return null;
  const reason = pin !== undefined ? 'PIN_MISMATCH' : String(socket.authorizationError ?? 'CERT_UNTRUSTED');
  return new UntrustedCertificate({
    host: key,
    fingerprint256,
    subject: name(cert?.subject),
    issuer: name(cert?.issuer),
    validFrom: cert?.valid_from ?? null,
    validTo: cert?.valid_to ?? null,
    reason,
  });
}

/**
 * undici's connector with the certificate decided here instead of inside Node's TLS: the
 * handshake completes without rejecting, then `judge` accepts or destroys the socket in
 * the connect callback, which undici waits for before it writes the request.
 */
export function pinningConnector(options: { timeout: number; pins: CertificatePins }): BuildConnector.connector {
  const connect = buildConnector({ timeout: options.timeout, rejectUnauthorized: false });
  return (target, callback) => {
    connect(target, (error, socket) => {
      if (error || !socket) return callback(error ?? new Error('no socket'), null);
      if (target.protocol !== 'https:') return callback(null, socket);
      const verdict = judge(socket as TLSSocket, pinKey(target.hostname, target.port, target.protocol), options.pins());
      if (verdict === null) return callback(null, socket);
      socket.destroy();
      return callback(verdict, null);
    });
  };
}
