import { describe, expect, it } from 'vitest';
import { AnswerWaits } from './answer-waits';

describe('a connection’s waits for answers', () => {
  it('counts from each request to its first byte, later bytes adding nothing', () => {
    const waits = new AnswerWaits();
    waits.asked(100);
    waits.answered(150);
    waits.answered(170);
    waits.asked(400);
    waits.answered(425);
    expect(waits.take(500)).toBe(75);
    expect(waits.take(600)).toBe(0);
  });

  it('splits a wait still running at each take, so no time is counted twice', () => {
    const waits = new AnswerWaits();
    waits.asked(100);
    expect(waits.take(130)).toBe(30);
    expect(waits.take(160)).toBe(30);
    waits.answered(170);
    expect(waits.take(200)).toBe(10);
  });

  it('counts nothing before the first request', () => {
    const waits = new AnswerWaits();
    waits.answered(50);
    expect(waits.take(100)).toBe(0);
  });
});
