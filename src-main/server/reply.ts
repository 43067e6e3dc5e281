import type { FastifyReply } from 'fastify';
import type { Envelope, ErrorDetails, ErrorKind, ErrorShape } from '../../src-common/contract';
import { statusOfKind } from './guards';

/** Every error leaves the server in the envelope, with the status its kind maps to. */
export function sendError(
  reply: FastifyReply,
  kind: ErrorKind,
  message: string,
  status = statusOfKind[kind],
  details?: ErrorDetails,
) {
  const body: Envelope<never> = { ok: false, error: { kind, message, ...(details ? { details } : {}) } };
  return reply.code(status).type('application/json').send(body);
}

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

/**
 * The seeds' REST routes answer bare: the value itself, or `{ error: { kind, message,
 * details? } }` with the status of its kind. `/v1/rpc/*` keeps the envelope.
 */
export function sendBare(reply: FastifyReply, envelope: Envelope<unknown>, okStatus = 200) {
  if (!envelope.ok)
    return sendBareError(reply, envelope.error.kind, envelope.error.message, undefined, envelope.error.details);
  return reply.code(okStatus).type('application/json').send(envelope.value);
}

export function sendBareError(
  reply: FastifyReply,
  kind: ErrorKind,
  message: string,
  status = statusOfKind[kind],
  details?: ErrorDetails,
) {
  const body: { error: ErrorShape } = { error: { kind, message, ...(details ? { details } : {}) } };
  return reply.code(status).type('application/json').send(body);
}
