/**
 * aria2's JSON-RPC errors: `{ code, message }` with aria2's codes and wording, and the
 * HTTP status aria2 answers each with (checked against aria2c 1.36 in the tests).
 */

import { cannotSave, isDamaged, toErrorShape } from '../../core/errors';

export type RpcId = string | number | null;

export interface RpcErrorBody {
  code: number;
  message: string;
}

export interface RpcResponse {
  id: RpcId;
  jsonrpc: '2.0';
  result?: unknown;
  error?: RpcErrorBody;
}

/** JSON-RPC's own codes; everything a method refuses is aria2's code 1. */
export const parseErrorCode = -32700;
export const invalidRequestCode = -32600;
export const methodErrorCode = 1;

/** A method's refusal, carried to the client as `{ code: 1, message }`. */
export class Aria2Error extends Error {
  constructor(
    message: string,
    readonly code = methodErrorCode,
  ) {
    super(message);
    this.name = 'Aria2Error';
  }
}

export const unauthorized = () => new Aria2Error('Unauthorized');
export const wrongType = (index: number) => new Aria2Error(`The parameter at ${index} has wrong type.`);
export const badOption = (name: string, why?: string) =>
  new Aria2Error(`We encountered a problem while processing the option '--${name}'.${why ? ` ${why}` : ''}`);

export function errorResponse(id: RpcId, error: RpcErrorBody): RpcResponse {
  return { id, jsonrpc: '2.0', error };
}

export const parseError = () => errorResponse(null, { code: parseErrorCode, message: 'Parse error.' });
export const invalidRequest = (id: RpcId = null) =>
  errorResponse(id, { code: invalidRequestCode, message: 'Invalid Request.' });

/** The error body of anything a method threw: ours as they are, the rest as code 1. */
export function toErrorBody(error: unknown): RpcErrorBody {
  if (error instanceof Aria2Error) return { code: error.code, message: error.message };
  // A database its disk cannot take more of, or a damaged page of it: said as the core
  // says it, with what to do.
  if (cannotSave(error) || isDamaged(error)) return { code: methodErrorCode, message: toErrorShape(error).message };
  return { code: methodErrorCode, message: error instanceof Error ? error.message : String(error) };
}

/**
 * aria2's HTTP status for a single response: 200 with a result, 500 for a parse error,
 * 400 for the rest (a batch is always 200: its errors are inside).
 */
export function httpStatusOf(response: RpcResponse): number {
  if (!response.error) return 200;
  return response.error.code === parseErrorCode ? 500 : 400;
}
