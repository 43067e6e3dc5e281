import { expect, it } from 'vitest';
import { LineBudget } from './line-budget';

it('lets a burst through, then a steady rate, and says how many lines it left out', () => {
  let now = 0;
  const budget = new LineBudget(10, 5, () => now);
  const written: string[] = [];
  for (let k = 1; k <= 8; k += 1) written.push(...budget.take('job', `line ${k}`));
  expect(written).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
  now += 100; // a tenth of a second: one more line's worth
  expect(budget.take('job', 'line 9')).toEqual(['(3 log lines left out: more than 10 a second)', 'line 9']);
  expect(budget.take('job', 'line 10')).toEqual([]);
  // Each job has its own budget.
  expect(budget.take('other', 'first')).toEqual(['first']);
  now += 10_000;
  expect(budget.take('job', 'later')).toEqual(['(1 log lines left out: more than 10 a second)', 'later']);
  expect(budget.take('job', 'and on')).toEqual(['and on']);
});
