import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { unitFailures } from './unit-failures.mjs';

const failures = unitFailures as (report: unknown, root: string) => string[];

/** Shaped like vitest's JSON reporter output: a file's tests are its assertionResults. */
const report = {
  numFailedTests: 1,
  testResults: [
    {
      name: '/repo/src/core/a.test.ts',
      assertionResults: [
        { fullName: 'a passes', status: 'passed', failureMessages: [] },
        { fullName: 'a skips', status: 'skipped', failureMessages: [] },
      ],
    },
    {
      name: '/repo/src/main/b.test.ts',
      assertionResults: [
        {
          fullName: 'b > waits for the file',
          status: 'failed',
          failureMessages: ['AssertionError: expected 3 to be 4\n    at b.test.ts:12:5'],
        },
      ],
    },
  ],
};

describe('unit failure lines', () => {
  it('names each failed test by its file and the first line of its message', () => {
    expect(failures(report, '/repo')).toEqual([
      'unit failed: src/main/b.test.ts > b > waits for the file: AssertionError: expected 3 to be 4',
    ]);
  });

  it('says nothing when every test passed, or when there is no report', () => {
    expect(failures({ testResults: [report.testResults[0]] }, '/repo')).toEqual([]);
    expect(failures(undefined, '/repo')).toEqual([]);
  });
});
