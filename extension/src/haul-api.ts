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

export async function callHaul<T>(
  connection: Connection,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  if (!connection.token) throw new HaulError('unpaired', 'Not paired with Haul yet: open the options page.');
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
