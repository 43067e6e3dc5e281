import { afterEach, describe, expect, it } from 'vitest';
import { isExtensionOrigin } from './guards';
import { raw, startTestApi, type TestApi } from './test-support';

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const extension = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
const other = 'moz-extension://0d4c6e1a-2b9f-4a53-9e0b-5f8a1c7d3e21';

function from(origin: string, method: string, path: string, token?: string, body?: unknown) {
  return raw(api!.server.port, path, {
    method,
    headers: {
      Origin: origin,
      ...(token !== undefined ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
}

describe('pairing a browser extension', () => {
  it('refuses an unpaired extension origin everywhere but the pairing route, even with the token', async () => {
    api = await startTestApi();
    const listed = await from(extension, 'GET', '/v1/jobs/queue', api.token);
    expect(listed.status).toBe(403);
    expect(listed.json().error.message).toContain('pair the extension');
    const submitted = await from(extension, 'POST', '/v1/rpc/downloads.submit', api.token, { url: 'http://x.test/a' });
    expect(submitted.status).toBe(403);
    expect(api.core.settings.get().allowedOrigins).toEqual([]);
  });

  it('needs the right token to pair, and records nothing otherwise', async () => {
    api = await startTestApi();
    expect((await from(extension, 'POST', '/v1/pair', undefined, {})).status).toBe(401);
    expect((await from(extension, 'POST', '/v1/pair', 'wrong-token', {})).status).toBe(403);
    expect(api.core.settings.get().allowedOrigins).toEqual([]);
  });

  it('adds exactly the calling origin, once; that origin is then accepted and another is not', async () => {
    api = await startTestApi();
    const paired = await from(extension, 'POST', '/v1/pair', api.token, {});
    expect(paired.status).toBe(200);
    expect(paired.json().origin).toBe(extension);
    await from(extension, 'POST', '/v1/pair', api.token, {});
    expect(api.core.settings.get().allowedOrigins).toEqual([extension]);

    expect((await from(extension, 'GET', '/v1/jobs/queue', api.token)).status).toBe(200);
    expect((await from(other, 'GET', '/v1/jobs/queue', api.token)).status).toBe(403);
    // Paired still means "with the token": the origin alone opens nothing.
    expect((await from(extension, 'GET', '/v1/jobs/queue')).status).toBe(401);
  });

  it('unpairs the calling origin only', async () => {
    api = await startTestApi();
    await from(extension, 'POST', '/v1/pair', api.token, {});
    await from(other, 'POST', '/v1/pair', api.token, {});
    const unpaired = await from(extension, 'DELETE', '/v1/pair', api.token);
    expect(unpaired.status).toBe(200);
    expect(api.core.settings.get().allowedOrigins).toEqual([other]);
    expect((await from(extension, 'GET', '/v1/jobs/queue', api.token)).status).toBe(403);
  });

  it('is described in the OpenAPI document', async () => {
    api = await startTestApi();
    const doc = (await api.call('GET', '/v1/openapi.json')).json();
    expect(doc.paths['/v1/pair'].post).toBeDefined();
    expect(doc.paths['/v1/pair'].delete).toBeDefined();
  });

  it('is not open to web pages, nor to calls without an extension origin', async () => {
    api = await startTestApi();
    expect((await from('http://evil.example', 'POST', '/v1/pair', api.token, {})).status).toBe(403);
    expect((await api.call('POST', '/v1/pair', {})).status).toBe(400);
    expect(api.core.settings.get().allowedOrigins).toEqual([]);
  });
});

describe('extension origins', () => {
  it.each([
    [extension, true],
    [other, true],
    ['chrome-extension://abc/path', false],
    ['chrome-extension://*', false],
    ['https://chrome-extension.example', false],
    ['null', false],
    [undefined, false],
  ])('%s -> %s', (origin, expected) => {
    expect(isExtensionOrigin(origin)).toBe(expected);
  });
});
