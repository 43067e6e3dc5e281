import type { FastifyReply } from 'fastify';
import type { Envelope, ErrorDetails, ErrorKind, ErrorShape } from '../../src-common/contract';
import { statusOfKind } from './guards';

/** Haul's own UI transport; the only routes that answer in the `{ ok, value | error }` envelope. */
export const rpcPrefix = '/v1/rpc/';

export function isRpcUrl(url: string): boolean {
  return url.startsWith(rpcPrefix);
}

/** What a REST route answers on failure, as the seeds' clients read it: `{ error: { kind, message, details? } }`. */
export interface RestError {
  error: ErrorShape;
}

/**
 * An error with the status its kind maps to. RPC routes carry it in the envelope; every
 * other route answers the bare `{ error }`, so a client reads the same shape whatever failed
 * (a guard, a bad query, the command itself).
 */
export function sendError(
  reply: FastifyReply,
  kind: ErrorKind,
  message: string,
  status = statusOfKind[kind],
  details?: ErrorDetails,
) {
  const error: ErrorShape = { kind, message, ...(details ? { details } : {}) };
  const body: Envelope<never> | RestError = isRpcUrl(reply.request.url) ? { ok: false, error } : { error };
  return reply.code(status).type('application/json').send(body);
}

/** A REST answer: the value itself, bare. */
export function sendValue(reply: FastifyReply, value: unknown, status = 200) {
  return reply.code(status).type('application/json').send(value);
}

/** A command's answer on a REST route: its value bare, or its error as `{ error }`. */
export function sendResult(
  reply: FastifyReply,
  answer: Envelope<unknown>,
  present?: (value: never) => unknown,
  okStatus = 200,
) {
  if (!answer.ok) return sendError(reply, answer.error.kind, answer.error.message, undefined, answer.error.details);
  return sendValue(reply, present ? present(answer.value as never) : answer.value, okStatus);
}

/** The RPC transport's answer: the envelope as the core gave it. */
export function sendEnvelope(reply: FastifyReply, envelope: Envelope<unknown>) {
  const status = envelope.ok ? 200 : statusOfKind[envelope.error.kind];
  return reply.code(status).type('application/json').send(envelope);
}

/** Thrown by request readers (query, params) to answer 400 with the field named. */
export class BadRequest extends Error {
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'BadRequest';
    this.field = field;
  }
}
