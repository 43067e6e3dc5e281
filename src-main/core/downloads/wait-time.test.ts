import { describe, expect, it } from 'vitest';
import { WaitTime } from './wait-time';

describe('time spent waiting', () => {
  it('counts each wait from its start to its end, an end without a wait adding nothing', () => {
    const waits = new WaitTime();
    waits.begin(100);
    waits.end(150);
    waits.end(170);
    waits.begin(400);
    waits.end(425);
    expect(waits.take(500)).toBe(75);
    expect(waits.take(600)).toBe(0);
  });

  it('splits a wait going on at each take, so no time is counted twice', () => {
    const waits = new WaitTime();
    waits.begin(100);
    expect(waits.waiting).toBe(true);
    expect(waits.take(130)).toBe(30);
    expect(waits.take(160)).toBe(30);
    waits.end(170);
    expect(waits.waiting).toBe(false);
    expect(waits.take(200)).toBe(10);
  });

  it('counts nothing before the first wait', () => {
    const waits = new WaitTime();
    waits.end(50);
    expect(waits.take(100)).toBe(0);
  });
});
