/**
 * JSON-RPC the aria2 way, independent of the transport: one request or a batch, the
 * secret as a `token:` first parameter, `system.multicall`, aria2's errors.
 */
import { timingSafeEqual } from 'node:crypto';
import {
  Aria2Error,
  errorResponse,
  httpStatusOf,
  invalidRequest,
  invalidRequestCode,
  parseError,
  toErrorBody,
  unauthorized,
  type RpcId,
  type RpcResponse,
} from './errors';
import { downloadMethods, type Method, type MethodContext } from './methods-downloads';
import { globalMethods } from './methods-global';

/** Calls in one batch or one system.multicall, at most (aria2 sets none). */
export const maxCalls = 1000;

/** Answered without the secret, as aria2 does: they tell nothing about the downloads. */
const open = new Set(['system.listMethods', 'system.listNotifications']);

export interface RpcOptions {
  context: MethodContext;
  /** The current secret; never empty while the endpoint runs. */
  secret(): string;
  version: string;
  /** How long a wrong secret holds every check of the secret after it (see SecretGate). @default 1000 */
  wrongSecretDelayMs?: number;
}

export interface RpcAnswer {
  body: RpcResponse | RpcResponse[];
  status: number;
  /** A wrong secret was given. */
  unauthorized: boolean;
}

function secretMatches(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return secret.length > 0 && a.length === b.length && timingSafeEqual(a, b);
}

interface CallState {
  unauthorized: boolean;
}

/** Checks of the secret waiting their turn at most; more are refused unchecked. */
const maxWaitingChecks = 64;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Checks of the secret, one after another, a wrong one holding all that come after it
 * (from any request or connection) for the delay: a secret is guessed at one try a
 * delay however many calls a batch holds or connections ask at once. A right secret
 * waits only while wrong ones are being held. At most `maxWaitingChecks` wait; beyond
 * them a secret is refused without being checked.
 */
class SecretGate {
  private last: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  constructor(private readonly delayMs: number) {}

  check(given: string, secret: () => string): Promise<boolean> {
    if (this.waiting >= maxWaitingChecks) return Promise.resolve(false);
    this.waiting += 1;
    const checked = this.last.then(async () => {
      const right = secretMatches(given, secret());
      if (!right && this.delayMs > 0) await sleep(this.delayMs);
      return right;
    });
    // The next check waits for this one however it ends.
    this.last = checked.catch(() => undefined);
    return checked.finally(() => (this.waiting -= 1));
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class Aria2Rpc {
  private readonly methods: Record<string, Method>;
  private readonly gate: SecretGate;

  constructor(private readonly options: RpcOptions) {
    this.gate = new SecretGate(options.wrongSecretDelayMs ?? 1000);
    this.methods = {
      ...downloadMethods,
      ...globalMethods(options.version),
      'system.listMethods': () => this.names(),
      // Answered in `call`, which hands it the request's state.
      'system.multicall': () => undefined,
    };
  }

  names(): string[] {
    return Object.keys(this.methods);
  }

  /** Answers one HTTP body or WebSocket message, already as text. */
  async handleText(text: string): Promise<RpcAnswer> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return { body: parseError(), status: 500, unauthorized: false };
    }
    return this.handle(message);
  }

  async handle(message: unknown): Promise<RpcAnswer> {
    const state: CallState = { unauthorized: false };
    if (Array.isArray(message)) {
      // Each answer is kept until the last: a batch of listMethods (no secret needed) would
      // make a request of 1.5 MB hold tens of MB.
      if (message.length > maxCalls) {
        const body = errorResponse(null, {
          code: invalidRequestCode,
          message: `A batch holds at most ${maxCalls} calls.`,
        });
        return { body, status: 400, unauthorized: false };
      }
      const body = [];
      // aria2 answers nothing for a batch entry that is not an object.
      for (const entry of message) if (isObject(entry)) body.push(await this.one(entry, state));
      return { body, status: 200, unauthorized: state.unauthorized };
    }
    const body = await this.one(message, state);
    return { body, status: httpStatusOf(body), unauthorized: state.unauthorized };
  }

  private async one(request: unknown, state: CallState): Promise<RpcResponse> {
    // aria2 needs an id and a method name; the `jsonrpc` member itself is not checked.
    if (!isObject(request) || typeof request.method !== 'string' || !('id' in request)) {
      return invalidRequest(isObject(request) ? this.idOf(request.id) : null);
    }
    const id = this.idOf(request.id);
    const params = request.params ?? [];
    if (!Array.isArray(params)) return invalidRequest(id);
    try {
      return { id, jsonrpc: '2.0', result: await this.call(request.method, params, state) };
    } catch (error) {
      return errorResponse(id, toErrorBody(error));
    }
  }

  private idOf(id: unknown): RpcId {
    return typeof id === 'string' || typeof id === 'number' ? id : null;
  }

  private async call(name: string, params: unknown[], state: CallState): Promise<unknown> {
    const method = Object.hasOwn(this.methods, name) ? this.methods[name] : undefined;
    if (!method) throw new Aria2Error(`No such method: ${name}`);
    if (name === 'system.multicall') return this.multicall(params, state);
    let rest = params;
    if (!open.has(name)) {
      const first = params[0];
      const given = typeof first === 'string' && first.startsWith('token:') ? first.slice(6) : undefined;
      // One check a request: the calls of a batch or multicall after a wrong secret are
      // refused unchecked, so that a request carries one guess, not thousands.
      if (given === undefined || state.unauthorized || !(await this.gate.check(given, this.options.secret))) {
        state.unauthorized = true;
        throw unauthorized();
      }
      rest = params.slice(1);
    } else if (typeof params[0] === 'string' && params[0].startsWith('token:')) {
      rest = params.slice(1);
    }
    return method(this.options.context, rest);
  }

  /** Each call's result in a one-element list, or its error object, in order. */
  private async multicall(params: unknown[], state: CallState): Promise<unknown[]> {
    const calls = params[0];
    if (!Array.isArray(calls)) throw new Aria2Error('The parameter at 0 has wrong type.');
    if (calls.length > maxCalls) throw new Aria2Error(`system.multicall holds at most ${maxCalls} calls.`);
    const results: unknown[] = [];
    for (const call of calls) {
      if (!isObject(call) || typeof call.methodName !== 'string' || !Array.isArray(call.params ?? [])) {
        results.push({ code: 1, message: 'system.multicall expected struct.' });
        continue;
      }
      if (call.methodName === 'system.multicall') {
        results.push({ code: 1, message: 'Recursive system.multicall forbidden.' });
        continue;
      }
      try {
        results.push([await this.call(call.methodName, (call.params ?? []) as unknown[], state)]);
      } catch (error) {
        results.push(toErrorBody(error));
      }
    }
    return results;
  }
}
