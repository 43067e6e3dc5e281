// The failed unit tests, a line each, from vitest's JSON report: the runner's own account
// of a failure is far above the summary, and a CI log may keep only its end.
import { relative } from 'node:path';

/**
 * @param {any} report vitest's JSON report
 * @param {string} root the repository, so that test files are named relative to it
 * @returns {string[]} `unit failed: <file> > <test>: <first line of its message>`
 */
export function unitFailures(report, root) {
  const lines = [];
  for (const file of report?.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      if (test.status !== 'failed') continue;
      const message = String(test.failureMessages?.[0] ?? 'no message')
        .split('\n')[0]
        .slice(0, 300);
      lines.push(`unit failed: ${relative(root, file.name)} > ${test.fullName}: ${message}`);
    }
  }
  return lines;
}
