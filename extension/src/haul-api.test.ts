import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { callHaul, HaulError, tokenProof } from './haul-api';

const token = 'T'.repeat(43);
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/**
 * A program on a loopback port that records every request's headers. `proofPort` is the
 * port it computes its proof for (its own, unless it passes on another Haul's answer);
 * `key` the token it holds, if any.
 */
async function listen(options: {
  key?: string;
  proofPort?: number;
}): Promise<{ url: string; heard: IncomingHttpHeaders[] }> {
  const heard: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    heard.push(req.headers);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/healthz') {
      const nonce = url.searchParams.get('proof') ?? '';
      const port = options.proofPort ?? (server.address() as AddressInfo).port;
      const proof = options.key
        ? createHmac('sha256', options.key).update(`haul-healthz:${port}:${nonce}`).digest('base64url')
        : 'made-up';
      res.end(JSON.stringify({ ok: true, port, proof }));
      return;
    }
    res.end(JSON.stringify({ jobs: [] }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, heard };
}

describe("the extension's calls to Haul", () => {
  it('computes the proof as Haul does', async () => {
    const expected = createHmac('sha256', token).update('haul-healthz:8181:abc').digest('base64url');
    expect(await tokenProof(token, 8181, 'abc')).toBe(expected);
  });

  it('send the token only once the program on that port showed it holds it', async () => {
    const haul = await listen({ key: token });
    await callHaul({ haulUrl: haul.url, token }, 'POST', '/v1/jobs/download/submit', { url: 'https://a.example/x' });
    expect(haul.heard.map((headers) => headers.authorization)).toEqual([undefined, `Bearer ${token}`]);
  });

  it('send nothing to a program that cannot show it, or shows it for another port', async () => {
    for (const options of [{}, { key: 'another token of forty-three characters....' }, { key: token, proofPort: 9 }]) {
      const squatter = await listen(options);
      const call = callHaul({ haulUrl: squatter.url, token }, 'GET', '/v1/jobs/queue');
      await expect(call).rejects.toBeInstanceOf(HaulError);
      await expect(call).rejects.toMatchObject({ refusal: 'unpaired', message: /token was not sent/ });
      expect(squatter.heard.map((headers) => headers.authorization)).toEqual([undefined]);
    }
  });
});
