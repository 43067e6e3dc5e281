import { afterEach, describe, expect, it, vi } from 'vitest';
import { callHaul, HaulError, tokenProof } from './haul-api';

const token = 'T'.repeat(43);
const key = (secret: string) =>
  crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);

/**
 * A program at `haulUrl` seen through fetch: it records each request's Authorization and
 * answers /healthz with a proof for `proofPort` (its own port unless it passes on another
 * Haul's answer), made with `secret` when it holds one.
 */
function program(haulUrl: string, options: { secret?: string; proofPort?: number }) {
  const heard: (string | null)[] = [];
  vi.stubGlobal('fetch', async (input: URL | string, init?: RequestInit) => {
    const url = new URL(input);
    expect(url.origin).toBe(new URL(haulUrl).origin);
    heard.push(new Headers(init?.headers).get('authorization'));
    if (url.pathname !== '/healthz') return Response.json({ jobs: [] });
    const port = options.proofPort ?? Number(url.port);
    const nonce = url.searchParams.get('proof') ?? '';
    const signed = options.secret
      ? await crypto.subtle.sign(
          'HMAC',
          await key(options.secret),
          new TextEncoder().encode(`haul-healthz:${port}:${nonce}`),
        )
      : undefined;
    const proof = signed
      ? btoa(String.fromCharCode(...new Uint8Array(signed)))
          .replaceAll('+', '-')
          .replaceAll('/', '_')
          .replace(/=+$/, '')
      : 'made-up';
    return Response.json({ ok: true, port, proof });
  });
  return heard;
}

afterEach(() => vi.unstubAllGlobals());

describe("the extension's calls to Haul", () => {
  it('computes the proof as Haul does (HMAC-SHA256 of the port and nonce, base64url)', async () => {
    // node -e "crypto.createHmac('sha256','T'.repeat(43)).update('haul-healthz:8181:abc').digest('base64url')"
    expect(await tokenProof(token, 8181, 'abc')).toBe('cQR71vcqvX0caFjRrzii7HJx2iXMDyOU-i4e3Tv-1eA');
  });

  it('send the token only once the program on that port showed it holds it', async () => {
    const heard = program('http://127.0.0.1:18181', { secret: token });
    await callHaul({ haulUrl: 'http://127.0.0.1:18181', token }, 'POST', '/v1/jobs/download/submit', { url: 'x' });
    await callHaul({ haulUrl: 'http://127.0.0.1:18181', token }, 'GET', '/v1/jobs/queue');
    // Proven once for the address and token; asked again after the program went away.
    expect(heard).toEqual([null, `Bearer ${token}`, `Bearer ${token}`]);
  });

  it('send nothing to a program that cannot show it, or shows it for another port', async () => {
    const tries = [{}, { secret: 'another token of forty-three characters....' }, { secret: token, proofPort: 8181 }];
    for (const [k, options] of tries.entries()) {
      const haulUrl = `http://127.0.0.1:${18200 + k}`;
      const heard = program(haulUrl, options);
      const call = callHaul({ haulUrl, token }, 'GET', '/v1/jobs/queue');
      await expect(call).rejects.toBeInstanceOf(HaulError);
      await expect(call).rejects.toMatchObject({ refusal: 'unpaired', message: /token was not sent/ });
      expect(heard).toEqual([null]);
    }
  });
});
