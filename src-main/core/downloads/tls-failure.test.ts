import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobFailure } from '../jobs/runner';
import { makeContext, tempDir, testEngine, testJob } from './test-context';

let server: Server;
let handshakes = 0;
beforeAll(async () => {
  const dir = await tempDir();
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  // A self-signed certificate, as a NAS or a home lab serves.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => res.end('file'));
  server.on('connection', () => (handshakes += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('a TLS certificate that cannot be trusted', () => {
  it('fails the download at once, permanently, saying why; one handshake, no retry', async () => {
    const port = (server.address() as AddressInfo).port;
    const dir = await tempDir();
    const t = makeContext(testJob(`https://127.0.0.1:${port}/file.bin`, dir));
    const error = await testEngine()(t.ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailure);
    expect((error as JobFailure).transient).toBe(false);
    expect((error as JobFailure).message).toMatch(/TLS certificate of 127\.0\.0\.1:\d+ is self-signed/);
    expect(handshakes).toBe(1);
  });
});
