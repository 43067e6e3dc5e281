/**
 * A secret guessed at one try a delay: one check a request, and the checks of every
 * request and connection one after another, a wrong one holding the rest.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MethodContext } from './methods-downloads';
import { Aria2Rpc, type RpcAnswer } from './rpc';

const secret = 'the-right-secret';
const unused = {} as MethodContext;
const rpc = (wrongSecretDelayMs: number) =>
  new Aria2Rpc({ context: unused, secret: () => secret, version: '1.0.0', wrongSecretDelayMs });
const version = (token: string, id: number = 1) => ({
  jsonrpc: '2.0',
  id,
  method: 'aria2.getVersion',
  params: [`token:${token}`],
});
const refused = (body: RpcAnswer['body']) =>
  (Array.isArray(body) ? body : [body]).map((answer) => answer.error?.message === 'Unauthorized');

afterEach(() => vi.useRealTimers());

describe('guessing the aria2 secret', () => {
  it('gets one guess a batch: the calls after a wrong secret are refused unchecked', async () => {
    const endpoint = rpc(0);
    const guesses = await endpoint.handle([version('a', 1), version(secret, 2), version('b', 3)]);
    expect(guesses.unauthorized).toBe(true);
    expect(refused(guesses.body)).toEqual([true, true, true]);
    const right = await endpoint.handle([version(secret, 1), version(secret, 2)]);
    expect(refused(right.body)).toEqual([false, false]);
  });

  it('gets one guess a multicall', async () => {
    const calls = ['a', secret, 'b'].map((token) => ({ methodName: 'aria2.getVersion', params: [`token:${token}`] }));
    const answer = await rpc(0).handle({ jsonrpc: '2.0', id: 1, method: 'system.multicall', params: [calls] });
    const results = (answer.body as { result: unknown[] }).result;
    expect(results.map((r) => (r as { message?: string }).message ?? 'ok')).toEqual([
      'Unauthorized',
      'Unauthorized',
      'Unauthorized',
    ]);
  });

  it('checks the guesses of requests at once one after another, each wrong one holding the rest', async () => {
    vi.useFakeTimers();
    const endpoint = rpc(1000);
    const answered: string[] = [];
    const ask = (token: string) =>
      endpoint.handle(version(token)).then((answer) => answered.push(`${token}:${refused(answer.body)[0]}`));
    const all = Promise.all([ask('a'), ask('b'), ask('c'), ask(secret)]);
    await vi.advanceTimersByTimeAsync(999);
    expect(answered).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(answered).toEqual(['a:true']);
    await vi.advanceTimersByTimeAsync(2000);
    // The right secret comes through as soon as the wrong ones before it were held.
    expect(answered).toEqual(['a:true', 'b:true', 'c:true', `${secret}:false`]);
    await all;
    // With nothing held, a right secret is answered at once.
    const right = endpoint.handle(version(secret));
    await vi.advanceTimersByTimeAsync(0);
    expect(refused((await right).body)).toEqual([false]);
  });

  it('refuses unchecked what comes beyond 64 checks waiting', async () => {
    vi.useFakeTimers();
    const endpoint = rpc(1000);
    const waiting = Array.from({ length: 64 }, (_, i) => endpoint.handle(version(`guess-${i}`)));
    const beyond = endpoint.handle(version(secret));
    await vi.advanceTimersByTimeAsync(0);
    expect(refused((await beyond).body)).toEqual([true]);
    await vi.advanceTimersByTimeAsync(64_000);
    await Promise.all(waiting);
    const later = endpoint.handle(version(secret));
    await vi.advanceTimersByTimeAsync(0);
    expect(refused((await later).body)).toEqual([false]);
  });
});
