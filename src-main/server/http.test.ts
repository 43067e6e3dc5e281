import { request as httpRequest } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../test/temp-dir';
import { createCore, type Core } from '../core/app';
import { startServer, type RunningServer } from './http';
import { loadOrCreateToken, tokenProof } from '../core/api-token';

let dir: ReturnType<typeof tempDir>;
let core: Core;
let server: RunningServer;
let token: string;

beforeAll(async () => {
  dir = tempDir();
  const staticDir = join(dir.path, 'ui');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Haul</title>');
  core = createCore({ dataDir: dir.path, downloadDir: dir.path, runtime: 'headless', version: '1.2.3' });
  token = loadOrCreateToken(dir.path);
  server = await startServer({ core, token, port: 0, staticDir });
});

afterAll(async () => {
  await server.close();
  await core.close();
  dir.remove();
});

/** Raw http.request: fetch would rewrite the Host header, which is exactly what we test. */
function raw(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const json = { 'Content-Type': 'application/json' };

describe('local HTTP API', () => {
  it('answers an authorised RPC call with the envelope', async () => {
    const res = await raw('/v1/rpc/app.info', {
      method: 'POST',
      headers: { ...json, Authorization: `Bearer ${token}` },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { version: '1.2.3', runtime: 'headless' } });
  });

  it('401 without a token, 403 with a wrong one', async () => {
    const missing = await raw('/v1/rpc/app.info', { method: 'POST', headers: json, body: '{}' });
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body).error.kind).toBe('unauthorized');
    const wrong = await raw('/v1/rpc/app.info', {
      method: 'POST',
      headers: { ...json, Authorization: 'Bearer nope' },
      body: '{}',
    });
    expect(wrong.status).toBe(403);
  });

  it('answers REST routes bare and their errors as { error }, while /v1/rpc keeps the envelope', async () => {
    const auth = { ...json, Authorization: `Bearer ${token}` };
    const info = await raw('/v1/info', { headers: auth });
    expect(JSON.parse(info.body)).toMatchObject({ version: '1.2.3', runtime: 'headless' });
    expect(JSON.parse(info.body)).not.toHaveProperty('ok');
    // A refusal by a guard, by a route's reader and by the command: the same bare shape.
    const refusals = [
      await raw('/v1/info', { headers: json }),
      await raw('/v1/jobs?limit=x', { headers: auth }),
      await raw('/v1/jobs/0badf00d', { headers: auth }),
      await raw('/v1/nowhere', { headers: auth }),
    ];
    expect(refusals.map((r) => r.status)).toEqual([401, 400, 404, 404]);
    for (const refusal of refusals) {
      expect(Object.keys(JSON.parse(refusal.body))).toEqual(['error']);
      expect(JSON.parse(refusal.body).error).toEqual(expect.objectContaining({ kind: expect.any(String) }));
    }
    const rpcRefused = await raw('/v1/rpc/jobs.get', { method: 'POST', headers: auth, body: '{"id":"0badf00d"}' });
    expect(rpcRefused.status).toBe(404);
    expect(JSON.parse(rpcRefused.body)).toMatchObject({ ok: false, error: { kind: 'not_found' } });
    const rpcUnauthorised = await raw('/v1/rpc/app.info', { method: 'POST', headers: json, body: '{}' });
    expect(JSON.parse(rpcUnauthorised.body)).toMatchObject({ ok: false, error: { kind: 'unauthorized' } });
  });

  it('never accepts the token in the query string', async () => {
    const res = await raw(`/v1/rpc/app.info?token=${token}`, { method: 'POST', headers: json, body: '{}' });
    expect(res.status).toBe(401);
  });

  it('421 for a foreign Host (DNS rebinding), before the token is looked at', async () => {
    const res = await raw('/v1/rpc/app.info', {
      method: 'POST',
      headers: { ...json, Host: 'attacker.example', Authorization: `Bearer ${token}` },
      body: '{}',
    });
    expect(res.status).toBe(421);
  });

  it('checks the Host first for a path the router refuses too, and answers in the API shape', async () => {
    const foreign = await raw('/v1/jobs/%ZZ', { headers: { Host: 'attacker.example' } });
    expect(foreign.status).toBe(421);
    const ours = await raw('/v1/jobs/%ZZ');
    expect(ours.status).toBe(400);
    expect(JSON.parse(ours.body)).toMatchObject({ error: { kind: 'invalid_input' } });
    expect(ours.headers['x-content-type-options']).toBe('nosniff');
    expect(ours.headers['referrer-policy']).toBe('no-referrer');
  });

  it('403 for an attacker Origin even with the right token', async () => {
    const res = await raw('/v1/rpc/app.info', {
      method: 'POST',
      headers: { ...json, Origin: 'https://evil.example', Authorization: `Bearer ${token}` },
      body: '{}',
    });
    expect(res.status).toBe(403);
  });

  it('415 for a cross-site text/plain form post', async () => {
    const res = await raw('/v1/rpc/app.info', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Authorization: `Bearer ${token}` },
      body: '{}',
    });
    expect(res.status).toBe(415);
  });

  it('413 for a body over 1 MiB', async () => {
    const res = await raw('/v1/rpc/app.info', {
      method: 'POST',
      headers: { ...json, Authorization: `Bearer ${token}` },
      body: JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(res.status).toBe(413);
  });

  it('400 naming the field for malformed input, 404 for an unknown command', async () => {
    const bad = await raw('/v1/rpc/app.info', {
      method: 'POST',
      headers: { ...json, Authorization: `Bearer ${token}` },
      body: '{"surprise":1}',
    });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.message).toContain('surprise');
    const unknown = await raw('/v1/rpc/nope', {
      method: 'POST',
      headers: { ...json, Authorization: `Bearer ${token}` },
      body: '{}',
    });
    expect(unknown.status).toBe(404);
  });

  it('serves the UI with a strict CSP and a health check without auth or data', async () => {
    const page = await raw('/');
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'self'");
    const health = await raw('/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ ok: true });
  });

  it("refuses a page elsewhere that embeds Haul's files, and serves its own page and a navigation", async () => {
    const embed = (site: string) => ({
      'Sec-Fetch-Mode': 'no-cors',
      'Sec-Fetch-Site': site,
      'Sec-Fetch-Dest': 'image',
    });
    for (const site of ['cross-site', 'same-site']) {
      for (const path of ['/', '/healthz']) {
        const refused = await raw(path, { headers: embed(site) });
        expect(refused.status, `${site} ${path}`).toBe(403);
        expect(refused.body).not.toContain('Haul</title>');
      }
    }
    expect((await raw('/', { headers: embed('same-origin') })).status).toBe(200);
    const opened = { 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Site': 'none', 'Sec-Fetch-Dest': 'document' };
    expect((await raw('/', { headers: opened })).status).toBe(200);
  });

  it('takes an empty body sent as JSON as no body, and still refuses a poisoned one', async () => {
    const auth = { ...json, Authorization: `Bearer ${token}` };
    const removed = await raw('/v1/jobs/0123abcd', { method: 'DELETE', headers: auth });
    expect(removed.status).toBe(404);
    expect(JSON.parse(removed.body)).toMatchObject({
      error: { kind: 'not_found', message: expect.stringContaining('0123abcd') },
    });
    const poisoned = await raw('/v1/jobs/download/submit', {
      method: 'POST',
      headers: auth,
      body: '{"url":"https://a.example/x","__proto__":{"admin":true}}',
    });
    expect(poisoned.status).toBe(400);
    const broken = await raw('/v1/jobs/download/submit', { method: 'POST', headers: auth, body: '{"url":' });
    expect(broken.status).toBe(400);
  });

  it('shows at /healthz?proof= that it holds the token, for this port, without giving it', async () => {
    const nonce = 'n0nce-of-the-client_1234';
    const answer = JSON.parse((await raw(`/healthz?proof=${nonce}`)).body) as { ok: boolean; proof: string };
    expect(answer).toEqual({ ok: true, port: server.port, proof: tokenProof(token, server.port, nonce) });
    expect(answer.proof).not.toContain(token);
    expect(answer.proof).not.toBe(tokenProof(token, server.port + 1, nonce));
    // Not a nonce it takes: liveness only.
    for (const odd of ['short', 'x'.repeat(129), 'has%20space-1234567890']) {
      expect(JSON.parse((await raw(`/healthz?proof=${odd}`)).body)).toEqual({ ok: true });
    }
  });

  it('refuses a cross-site form post (urlencoded or multipart) and a cross-site text/plain post from an attacker Origin', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await raw('/v1/jobs/download/submit', {
        method: 'POST',
        headers: { 'Content-Type': type, Authorization: `Bearer ${token}` },
        body: 'url=https%3A%2F%2Fevil.example%2F',
      });
      expect(res.status, type).toBe(415);
    }
    const attacker = await raw('/v1/jobs/download/submit', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Origin: 'https://evil.example' },
      body: '{"url":"https://evil.example/x"}',
    });
    expect(attacker.status).toBe(403);
    expect((await raw('/v1/jobs/queue', { headers: { Authorization: `Bearer ${token}` } })).body).not.toContain('evil');
  });

  it('421 for a foreign Host on the REST routes and the event stream too', async () => {
    for (const path of ['/v1/jobs/queue', '/v1/jobs/events', '/healthz', '/']) {
      const res = await raw(path, {
        headers: { Host: `evil.example:${server.port}`, Authorization: `Bearer ${token}` },
      });
      expect(res.status, path).toBe(421);
    }
  });

  it('401 on every /v1 route without a token, the stream included', async () => {
    for (const path of [
      '/v1/jobs/queue',
      '/v1/jobs',
      '/v1/jobs/queues',
      '/v1/jobs/events',
      '/v1/openapi.json',
      '/v1/nope',
    ]) {
      expect((await raw(path)).status, path).toBe(401);
    }
  });
});

describe('a server bound for remote use (--allow-remote)', () => {
  it('accepts the bound host name in Host and Origin, and still nothing else', async () => {
    const remote = await startServer({ core, token, port: 0, allowedHosts: ['nas.local'] });
    try {
      const get = (headers: Record<string, string>) =>
        new Promise<number>((resolve, reject) => {
          const req = httpRequest(
            {
              host: '127.0.0.1',
              port: remote.port,
              path: '/v1/jobs/queue',
              headers: { Authorization: `Bearer ${token}`, ...headers },
            },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.on('error', reject);
          req.end();
        });
      expect(await get({ Host: `nas.local:${remote.port}` })).toBe(200);
      expect(await get({ Host: `nas.local:${remote.port}`, Origin: `http://nas.local:${remote.port}` })).toBe(200);
      expect(await get({ Host: `other.local:${remote.port}` })).toBe(421);
      expect(await get({ Host: `nas.local:${remote.port}`, Origin: 'http://evil.example' })).toBe(403);
    } finally {
      await remote.close();
    }
  });
});

describe('token regeneration', () => {
  it('the old token stops working at once and the new one works, without a restart', async () => {
    const dataDir = tempDir();
    const own = createCore({ dataDir: dataDir.path, downloadDir: dataDir.path, runtime: 'headless', version: '1.0.0' });
    const running = await startServer({ core: own, token: () => own.apiToken(), port: 0 });
    const call = (bearer: string) =>
      fetch(`${running.url}/v1/rpc/app.info`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${bearer}` },
        body: '{}',
      }).then((r) => r.status);
    try {
      const old = own.apiToken();
      expect(await call(old)).toBe(200);
      const result = await own.invoke('api.regenerateToken', {});
      const fresh = (result as { ok: true; value: { token: string } }).value.token;
      expect(fresh).not.toBe(old);
      expect(await call(old)).toBe(403);
      expect(await call(fresh)).toBe(200);
    } finally {
      await running.close();
      await own.close();
      dataDir.remove();
    }
  });
});
