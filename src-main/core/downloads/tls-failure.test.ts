import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../test/self-signed';
import { JobFailure } from '../jobs/runner';
import { fileSha256, makeContext, sha256, tempDir, testEngine, testJob } from './test-context';

const body = Buffer.from('the file from a self-signed server\n'.repeat(1000));
let pinned: Server;
let other: Server;
let fingerprint = '';
/** Requests that reached each server's handler: a refused connection sends none. */
const requests = { pinned: 0, other: 0 };
/** Connections the pinned server accepted: one attempt, no retry. */
let handshakes = 0;

const hostOf = (server: Server): string => `127.0.0.1:${(server.address() as AddressInfo).port}`;

beforeAll(async () => {
  // A self-signed certificate, as a NAS or a home lab serves.
  const { fingerprint: made, ...tls } = selfSignedCertificate('/CN=nas.home');
  fingerprint = made;
  other = createServer(tls, (_req, res) => {
    requests.other += 1;
    res.end(body);
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  pinned = createServer(tls, (req, res) => {
    requests.pinned += 1;
    if (req.url === '/elsewhere') {
      res.writeHead(302, { location: `https://${hostOf(other)}/file.bin` });
      return res.end();
    }
    res.end(body);
  });
  pinned.on('connection', () => (handshakes += 1));
  await new Promise<void>((resolve) => pinned.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await Promise.all([pinned, other].map((s) => new Promise((resolve) => s.close(resolve))));
});

async function fail(path: string, pins: Record<string, string>): Promise<JobFailure> {
  const t = makeContext(testJob(`https://${hostOf(pinned)}${path}`, await tempDir()));
  const error = await testEngine({ trustedCertificates: () => pins })(t.ctx).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(JobFailure);
  return error as JobFailure;
}

describe('a TLS certificate that cannot be trusted', () => {
  it('fails the download at once, permanently, with the certificate to inspect; one handshake, no request', async () => {
    const before = { ...requests, handshakes };
    const error = await fail('/file.bin', {});
    expect(error.transient).toBe(false);
    expect(error.message).toMatch(/TLS certificate of 127\.0\.0\.1:\d+ is self-signed/);
    expect(error.certificate).toEqual({
      host: hostOf(pinned),
      fingerprint256: fingerprint,
      subject: 'nas.home',
      issuer: 'nas.home',
      validFrom: expect.any(String) as string,
      validTo: expect.any(String) as string,
      reason: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    expect(handshakes - before.handshakes).toBe(1);
    expect(requests.pinned).toBe(before.pinned);
  });

  it('trusted by its fingerprint for its host:port, the download completes', async () => {
    const dir = await tempDir();
    const t = makeContext(testJob(`https://${hostOf(pinned)}/file.bin`, dir));
    const outcome = await testEngine({ trustedCertificates: () => ({ [hostOf(pinned)]: fingerprint }) })(t.ctx);
    expect(await fileSha256(outcome.path)).toBe(sha256(body));
  });

  it('another fingerprint pinned for the host: refused before the request, saying so', async () => {
    const before = requests.pinned;
    const wrong = fingerprint.replace(/^../, fingerprint.startsWith('00') ? '11' : '00');
    const error = await fail('/file.bin', { [hostOf(pinned)]: wrong });
    expect(error.transient).toBe(false);
    expect(error.message).toBe(
      `The TLS certificate of ${hostOf(pinned)} is not the one you trusted for it (it is ${fingerprint}), so Haul did not connect. Trust the new one only if you expected it to change.`,
    );
    expect(error.certificate?.reason).toBe('PIN_MISMATCH');
    expect(requests.pinned).toBe(before);
  });

  it('a pin for another host (or port) does not cover this one', async () => {
    const before = requests.pinned;
    const error = await fail('/file.bin', {
      [hostOf(other)]: fingerprint,
      [`localhost:${hostOf(pinned).split(':')[1]}`]: fingerprint,
    });
    expect(error.certificate?.reason).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(requests.pinned).toBe(before);
  });

  it('a redirect from the pinned host to one that is not pinned is refused there', async () => {
    const before = { ...requests };
    const error = await fail('/elsewhere', { [hostOf(pinned)]: fingerprint });
    expect(requests.pinned).toBe(before.pinned + 1);
    expect(error.certificate?.host).toBe(hostOf(other));
    expect(error.message).toMatch(new RegExp(`TLS certificate of ${hostOf(other)} is self-signed`));
    expect(requests.other).toBe(before.other);
  });
});
