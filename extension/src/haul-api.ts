/**
 * Haul's local API as the extension uses it: pairing, submit, job actions. Its REST routes
 * answer the value bare, or `{ error: { kind, message } }` with the HTTP status.
 */
import type { DownloadJob, ErrorShape, SubmitInput } from '../../src-common/contract';
import type { ExtensionOptions } from './options-store';

/** Why Haul did not take a download: the badge shows it, the browser keeps the file. */
export type Refusal = 'unpaired' | 'offline' | 'refused';

export class HaulError extends Error {
  constructor(
    readonly refusal: Refusal,
    message: string,
    /** Haul's error kind when it answered (`conflict`: it already has this download). */
    readonly kind?: string,
  ) {
    super(message);
    this.name = 'HaulError';
  }
}

type Connection = Pick<ExtensionOptions, 'haulUrl' | 'token'>;

/** How long Haul may take to answer before the browser keeps the download. */
const answerTimeoutMs = 5000;

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

function base64url(bytes: ArrayBuffer): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** Haul's answer at /healthz?proof=: HMAC-SHA256(token, `haul-healthz:PORT:NONCE`), base64url. */
export async function tokenProof(token: string, port: number, nonce: string): Promise<string> {
  const encode = (text: string) => new TextEncoder().encode(text);
  const key = await crypto.subtle.importKey('raw', encode(token), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return base64url(await crypto.subtle.sign('HMAC', key, encode(`haul-healthz:${port}:${nonce}`)));
}

/** Connections whose program showed it holds the token, by address and token. */
const proven = new Map<string, Promise<void>>();

/**
 * Asks the program at the address to show it holds the token before the token is sent:
 * while Haul is not running, any local program may listen on its port. On this machine
 * the proof must be for the very port asked, so a program there cannot pass on a Haul's
 * answer from another port; a remote Haul may sit behind a proxy on another port.
 */
export function proveHaul(connection: Connection): Promise<void> {
  const key = `${connection.haulUrl}\n${connection.token}`;
  let proving = proven.get(key);
  if (!proving) {
    proving = checkProof(connection);
    proven.set(key, proving);
    proving.catch(() => proven.delete(key));
  }
  return proving;
}

/** The connection dropped: whatever answers next on that port must show the proof again. */
export function forgetProof(connection: Connection): void {
  proven.delete(`${connection.haulUrl}\n${connection.token}`);
}

async function checkProof(connection: Connection): Promise<void> {
  const url = new URL('/healthz', connection.haulUrl);
  const nonce = base64url(crypto.getRandomValues(new Uint8Array(18)).buffer);
  url.searchParams.set('proof', nonce);
  let answer: { proof?: unknown; port?: unknown } | undefined;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(answerTimeoutMs) });
    answer = (await response.json()) as typeof answer;
  } catch {
    throw new HaulError('offline', `Haul is not running at ${connection.haulUrl}.`);
  }
  const asked = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const port = answer?.port;
  const samePort = !loopbackHosts.has(url.hostname) || port === asked;
  const expected = typeof port === 'number' ? await tokenProof(connection.token, port, nonce) : undefined;
  if (!samePort || expected === undefined || answer?.proof !== expected) {
    throw new HaulError(
      'unpaired',
      `The program at ${connection.haulUrl} did not show that it holds this token, so the token was not sent. Is that Haul's address, and the token its own?`,
    );
  }
}

export async function callHaul<T>(
  connection: Connection,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  if (!connection.token) throw new HaulError('unpaired', 'Not paired with Haul yet: open the options page.');
  await proveHaul(connection);
  let response: Response;
  try {
    response = await fetch(new URL(path, connection.haulUrl), {
      method,
      headers: {
        Authorization: `Bearer ${connection.token}`,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(answerTimeoutMs),
    });
  } catch {
    // fetch says only "Failed to fetch": nothing more useful to show than where we looked.
    forgetProof(connection);
    throw new HaulError('offline', `Haul is not running at ${connection.haulUrl}.`);
  }
  let answer: unknown;
  try {
    answer = await response.json();
  } catch {
    answer = undefined;
  }
  if (response.ok && answer !== undefined) return answer as T;
  const error = (answer as { error?: Partial<ErrorShape> } | undefined)?.error;
  const message = typeof error?.message === 'string' ? error.message : `HTTP ${response.status}`;
  // 401/403: a wrong or replaced token, or an origin Haul no longer knows: pair again.
  const refusal = response.status === 401 || response.status === 403 ? 'unpaired' : 'refused';
  throw new HaulError(refusal, `Haul refused: ${message}`, typeof error?.kind === 'string' ? error.kind : undefined);
}

/** Pairs this extension's origin with Haul; the token proves the user allowed it. */
export function pair(connection: Connection): Promise<{ origin: string; version: string }> {
  return callHaul(connection, 'POST', '/v1/pair', {});
}

export function unpair(connection: Connection): Promise<{ origin: string }> {
  return callHaul(connection, 'DELETE', '/v1/pair');
}

export async function submit(connection: Connection, input: SubmitInput): Promise<DownloadJob[]> {
  const output = await callHaul<{ jobs: DownloadJob[] }>(connection, 'POST', '/v1/jobs/download/submit', input);
  return output.jobs;
}

export type JobAction = 'pause' | 'resume' | 'cancel' | 'retry';

export function jobAction(connection: Connection, action: JobAction, id: string): Promise<DownloadJob> {
  return callHaul(connection, 'POST', `/v1/jobs/${encodeURIComponent(id)}/${action}`);
}
