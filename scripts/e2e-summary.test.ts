import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { e2eSummary } from './e2e-summary.mjs';

type Summary = { lines: string[]; notes: string[]; failed: boolean };
const summarize = e2eSummary as (report: unknown, ok: boolean) => Summary;

const test = (projectName: string, status: string, annotations: unknown[] = []) => ({
  projectName,
  status,
  annotations,
});

/** A report shaped like Playwright's JSON reporter output: suites nest, specs hold tests. */
const report = (tests: ReturnType<typeof test>[], errors: unknown[] = []) => ({
  stats: { expected: 0, unexpected: 0, flaky: 0, skipped: 0 },
  errors,
  suites: [
    {
      title: 'a.spec.ts',
      specs: [],
      suites: [{ title: 'group', specs: tests.map((t, i) => ({ title: `spec ${i}`, tests: [t] })) }],
    },
  ],
});

describe('e2e summary lines', () => {
  it('counts the desktop project apart from the others', () => {
    const summary = summarize(
      report([
        test('browser', 'expected'),
        test('browser', 'flaky'),
        test('electron', 'skipped', [{ type: 'skip', description: 'skipped: no Electron binary' }]),
        test('desktop', 'expected'),
        test('desktop', 'expected'),
        test('desktop', 'expected'),
      ]),
      true,
    );
    expect(summary.lines).toEqual(['e2e: 2 passed, 0 failed, 1 skipped', 'desktop: 3 passed, 0 failed']);
    expect(summary.notes).toEqual(['e2e skipped: spec 2 (skipped: no Electron binary)']);
    expect(summary.failed).toBe(false);
  });

  it('fails on a failed desktop journey, and on an error outside any test', () => {
    const failedJourney = summarize(report([test('browser', 'expected'), test('desktop', 'unexpected')]), false);
    expect(failedJourney.lines).toEqual(['e2e: 1 passed, 0 failed', 'desktop: 0 passed, 1 failed']);
    expect(failedJourney.failed).toBe(true);
    const broken = summarize(report([test('desktop', 'expected')], [{ message: 'SyntaxError' }]), false);
    expect(broken.lines[0]).toBe('e2e: 0 passed, 1 failed');
    expect(broken.failed).toBe(true);
  });

  it('counts no desktop journey at all, or no report, as a failure', () => {
    const none = summarize(report([test('browser', 'expected')]), true);
    expect(none.lines[1]).toBe('desktop: 0 passed, 1 failed (no desktop journey ran)');
    expect(none.failed).toBe(true);
    expect(summarize(undefined, false).failed).toBe(true);
  });
});
