import { describe, expect, it } from 'vitest';
import { JobFailure } from '../jobs/runner';
import { ConnectionLimits, type LimitedConnection } from './connection-limits';

const running = (): LimitedConnection => ({ retired: false, dropped: null, unanswered: false, drop: () => undefined });
const refused = new JobFailure('http', 'The server answered 503 Service Unavailable.', { status: 503 });
const stalled = new JobFailure('stalled', 'The server sent no data for 30 s.');

/** Limits with `live` connections besides the one that fails. */
function limitsWith(live: number) {
  const logs: string[] = [];
  const limits = new ConnectionLimits(30_000, (line) => logs.push(line), 1000);
  const others = Array.from({ length: live }, running);
  const fail = (error: JobFailure, now: number) => {
    const connection = running();
    return limits.spare(connection, error, [...others, connection], now);
  };
  return { limits, logs, others, fail };
}

describe('ConnectionLimits', () => {
  it('tries one connection more a wait after a refusal, and waits twice as long once that is refused', () => {
    const { limits, fail } = limitsWith(2);
    expect(fail(refused, 0)).toBe(true);
    expect(limits.ceiling).toBe(2);
    expect(limits.recover(999, 8)).toBe(false);
    expect(limits.recover(1000, 8)).toBe(true);
    expect(limits.ceiling).toBe(3);
    // The step is refused: the next waits 2 s.
    fail(refused, 1100);
    expect(limits.ceiling).toBe(2);
    expect(limits.recover(3099, 8)).toBe(false);
    expect(limits.recover(3100, 8)).toBe(true);
    expect(limits.ceiling).toBe(3);
  });

  it('goes on stepping up while the server takes each step', () => {
    const { limits, fail, logs } = limitsWith(1);
    fail(refused, 0);
    expect(limits.recover(1000, 8)).toBe(true);
    expect(limits.recover(1500, 8)).toBe(false);
    expect(limits.recover(2000, 8)).toBe(true);
    expect(limits.ceiling).toBe(3);
    expect(logs.slice(-2)).toEqual(['Trying 2 connections again.', 'Trying 3 connections again.']);
  });

  it('raises nothing the download does not want, nor before any refusal', () => {
    const fresh = limitsWith(2);
    expect(fresh.limits.recover(60_000, 8)).toBe(false);
    expect(fresh.limits.ceiling).toBe(Number.POSITIVE_INFINITY);
    const { limits, fail } = limitsWith(2);
    fail(refused, 0);
    expect(limits.recover(5000, 2)).toBe(false);
    expect(limits.ceiling).toBe(2);
  });

  it('tries no more after a connection left unanswered: each try would cost a stall timeout', () => {
    const { limits, fail } = limitsWith(2);
    fail(refused, 0);
    fail(stalled, 10);
    expect(limits.recover(60_000, 8)).toBe(false);
    expect(limits.ceiling).toBe(2);
  });
});
