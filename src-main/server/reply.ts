import type { FastifyReply } from 'fastify';
import type { Envelope, ErrorDetails, ErrorKind } from '../../src-common/contract';
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
