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
    expect(limits.recover(999, 8, limits.ceiling)).toBe(false);
    expect(limits.recover(1000, 8, limits.ceiling)).toBe(true);
    expect(limits.ceiling).toBe(3);
    // The step is refused: the next waits 2 s.
    fail(refused, 1100);
    expect(limits.ceiling).toBe(2);
    expect(limits.recover(3099, 8, limits.ceiling)).toBe(false);
    expect(limits.recover(3100, 8, limits.ceiling)).toBe(true);
    expect(limits.ceiling).toBe(3);
  });

  it('goes on stepping up while the server takes each step', () => {
    const { limits, fail, logs } = limitsWith(1);
    fail(refused, 0);
    expect(limits.recover(1000, 8, limits.ceiling)).toBe(true);
    expect(limits.recover(1500, 8, limits.ceiling)).toBe(false);
    expect(limits.recover(2000, 8, limits.ceiling)).toBe(true);
    expect(limits.ceiling).toBe(3);
    expect(logs.slice(-2)).toEqual(['Trying 2 connections again.', 'Trying 3 connections again.']);
  });

  it('waits as long as the first time again once a step is taken, and at most a minute', () => {
    const { limits, fail } = limitsWith(2);
    fail(refused, 0);
    limits.recover(1000, 8, limits.ceiling);
    fail(refused, 1100);
    // Refused once: 2 s, and 2 s more to see the next step taken; the one after it 1 s later.
    expect(limits.recover(3100, 8, limits.ceiling)).toBe(true);
    expect(limits.recover(5099, 8, limits.ceiling)).toBe(false);
    expect(limits.recover(5100, 8, limits.ceiling)).toBe(true);
    expect(limits.recover(6099, 8, limits.ceiling)).toBe(false);
    expect(limits.recover(6100, 8, limits.ceiling)).toBe(true);
    // Refused time after time, the wait doubles up to a minute.
    let now = 6100;
    for (let i = 0; i < 10; i += 1) {
      fail(refused, now + 1);
      now += 1;
      while (!limits.recover(now, 8, limits.ceiling)) now += 1000;
    }
    fail(refused, now);
    expect(limits.recover(now + 59_999, 8, limits.ceiling)).toBe(false);
    expect(limits.recover(now + 60_000, 8, limits.ceiling)).toBe(true);
  });

  it('raises nothing the download does not want, nor before any refusal', () => {
    const fresh = limitsWith(2);
    expect(fresh.limits.recover(60_000, 8, 2)).toBe(false);
    expect(fresh.limits.ceiling).toBe(Number.POSITIVE_INFINITY);
    const { limits, fail } = limitsWith(2);
    fail(refused, 0);
    expect(limits.recover(5000, 2, 2)).toBe(false);
    expect(limits.ceiling).toBe(2);
    // Nor a step the download has not taken up: one of its two connections has ended since.
    expect(limits.recover(5000, 8, 1)).toBe(false);
    expect(limits.recover(5000, 8, 2)).toBe(true);
  });

  it('tries no more once a connection was left unanswered: each try would cost a stall timeout', () => {
    const { limits, fail } = limitsWith(2);
    fail(refused, 0);
    fail(stalled, 10);
    expect(limits.recover(60_000, 8, limits.ceiling)).toBe(false);
    // Nor after a later refusal.
    fail(refused, 60_001);
    expect(limits.recover(120_000, 8, limits.ceiling)).toBe(false);
    expect(limits.ceiling).toBe(2);
  });
});
