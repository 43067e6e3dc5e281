/**
 * Bad input against aria2c and Haul side by side, over raw HTTP: the same status and
 * error shape from both, and nothing changed afterwards. Then what only Haul refuses:
 * hostile `out` and `dir`, strange hosts and origins, a body over the limit.
 */
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw, type RawResponse } from '../test-support';
import { shapeOf, startAria2c, startHaul, type Target } from './test-targets';

const secret = 'bad-input-secret';
const token = `token:${secret}`;

function post(target: Target, body: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return raw(target.port, '/jsonrpc', {
    method: 'POST',
    // A length, not chunks: aria2c reads no chunked request bodies.
    headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), ...headers },
    body,
  });
}

const call = (method: string, params: unknown[], id: unknown = 'q') =>
  JSON.stringify({ jsonrpc: '2.0', id, method, params });

/** Status and body; the GID in a message made neutral, so aria2c's and Haul's compare. */
async function outcome(response: Promise<RawResponse>) {
  const { status, body, headers } = await response;
  return { status, contentType: headers['content-type'], body: JSON.parse(body.replace(/[0-9a-f]{16}/g, '<gid>')) };
}

const cases: Record<string, string> = {
  'a parse error': '{"jsonrpc":"2.0","id":"q","method"',
  'not an object': '"hello"',
  'no method': '{"jsonrpc":"2.0","id":"q"}',
  'no id': JSON.stringify({ jsonrpc: '2.0', method: 'aria2.getVersion', params: [token] }),
  'an unknown method': call('aria2.nope', [token]),
  'a wrong secret': call('aria2.getVersion', ['token:guess']),
  'no secret': call('aria2.tellActive', []),
  'an unknown GID': call('aria2.tellStatus', [token, 'ffffffffffffffff']),
  'an invalid GID': call('aria2.pause', [token, 'zz']),
  'a parameter of the wrong type': call('aria2.addUri', [token, 'http://127.0.0.1:1/x']),
  'a bad option value': call('aria2.addUri', [token, ['http://127.0.0.1:1/x'], { split: 'many' }]),
  'an offset that is not a number': call('aria2.tellWaiting', [token, 'a', 1]),
  'an empty batch': '[]',
  'a batch with a bad entry': `[${call('aria2.getGlobalStat', [token], 1)}, 7]`,
  'a nested multicall': call('system.multicall', [[{ methodName: 'system.multicall', params: [] }]]),
};

async function nothingChanged(target: Target): Promise<void> {
  const rpc = target.rpc;
  const stat = (await rpc.call('getGlobalStat')) as Record<string, string>;
  expect(stat).toMatchObject({ numActive: '0', numWaiting: '0', numStopped: '0' });
  if (existsSync(target.downloadDir)) expect(readdirSync(target.downloadDir)).toEqual([]);
}

describe('bad input: aria2c and Haul answer alike', () => {
  let aria2c: Target;
  let haul: Target;
  beforeAll(async () => {
    [aria2c, haul] = await Promise.all([startAria2c(secret), startHaul(secret)]);
  }, 30_000);
  afterAll(async () => {
    await Promise.all([aria2c?.close(), haul?.close()]);
  });

  for (const [name, body] of Object.entries(cases)) {
    it(`${name}: same status and error`, async () => {
      const [theirs, mine] = await Promise.all([outcome(post(aria2c, body)), outcome(post(haul, body))]);
      expect(mine.status).toBe(theirs.status);
      expect(mine.contentType).toBe(theirs.contentType);
      expect(shapeOf(mine.body)).toEqual(shapeOf(theirs.body));
      // The same codes and the same words.
      expect(mine.body).toEqual(theirs.body);
    });
  }

  it('GET with base64 params works the aria2 way', async () => {
    const params = encodeURIComponent(Buffer.from(JSON.stringify([token])).toString('base64'));
    const path = `/jsonrpc?method=aria2.getGlobalStat&id=7&params=${params}`;
    const [theirs, mine] = await Promise.all([outcome(raw(aria2c.port, path)), outcome(raw(haul.port, path))]);
    expect(mine.status).toBe(200);
    expect(shapeOf(mine.body)).toEqual(shapeOf(theirs.body));
    expect(mine.body.id).toBe(theirs.body.id);
    const broken = `/jsonrpc?method=aria2.getGlobalStat&id=7&params=${encodeURIComponent('!!not base64 json')}`;
    const [badTheirs, badMine] = await Promise.all([
      outcome(raw(aria2c.port, broken)),
      outcome(raw(haul.port, broken)),
    ]);
    expect(badMine.status).toBe(badTheirs.status);
    expect(shapeOf(badMine.body)).toEqual(shapeOf(badTheirs.body));
  });

  it('a body over 2 MiB is refused before it is read whole, and changes nothing', async () => {
    const huge = call('aria2.addUri', [
      token,
      ['http://127.0.0.1:1/x'],
      { header: [`X-Pad: ${'a'.repeat(2_200_000)}`] },
    ]);
    // aria2c closes the connection without an answer; Haul says why, in aria2's error shape.
    await expect(post(aria2c, huge)).rejects.toThrow();
    const mine = await outcome(post(haul, huge));
    expect(mine.status).toBe(413);
    expect(shapeOf(mine.body)).toEqual(shapeOf({ id: null, jsonrpc: '2.0', error: { code: 1, message: '' } }));
    await nothingChanged(haul);
  });

  it('a batch or a system.multicall of more than 1000 calls is refused whole, with or without the secret', async () => {
    const listMethods = { jsonrpc: '2.0', id: 1, method: 'system.listMethods', params: [] };
    const batch = await outcome(post(haul, JSON.stringify(Array.from({ length: 1001 }, () => listMethods))));
    expect(batch).toMatchObject({
      status: 400,
      body: { id: null, error: { code: -32600, message: 'A batch holds at most 1000 calls.' } },
    });
    const calls = Array.from({ length: 1001 }, () => ({ methodName: 'system.listMethods' }));
    const multi = await outcome(post(haul, call('system.multicall', [calls])));
    expect(multi.body).toMatchObject({ error: { code: 1, message: 'system.multicall holds at most 1000 calls.' } });
    // At the limit, it answers every call.
    const full = await outcome(post(haul, JSON.stringify(Array.from({ length: 1000 }, () => listMethods))));
    expect(full.status).toBe(200);
    expect(full.body).toHaveLength(1000);
  });

  it('after all of it, neither has a download', async () => {
    await nothingChanged(aria2c);
    await nothingChanged(haul);
  });
});
