// The end-to-end summary lines from Playwright's JSON report. The desktop journeys (the
// `desktop` project, run through the Electron stand-in) count as their own suite; every
// other project counts as e2e.

function* flattenSpecs(suite) {
  yield* suite.specs ?? [];
  for (const child of suite.suites ?? []) yield* flattenSpecs(child);
}

/**
 * @param {any} report Playwright's JSON report, or undefined when there is none
 * @param {boolean} runnerOk whether `playwright test` exited with 0
 * @returns {{ lines: string[], notes: string[], failed: boolean }}
 */
export function e2eSummary(report, runnerOk) {
  if (!report?.stats) {
    return {
      lines: [
        'e2e: 0 passed, 1 failed (the test runner produced no report)',
        'desktop: 0 passed, 1 failed (the test runner produced no report)',
      ],
      notes: [],
      failed: true,
    };
  }
  const notes = [];
  const counts = { e2e: { passed: 0, failed: 0, skipped: 0 }, desktop: { passed: 0, failed: 0, skipped: 0 } };
  for (const suite of report.suites ?? []) {
    for (const spec of flattenSpecs(suite)) {
      for (const t of spec.tests ?? []) {
        const suiteName = t.projectName === 'desktop' ? 'desktop' : 'e2e';
        const count = counts[suiteName];
        if (t.status === 'expected' || t.status === 'flaky') count.passed += 1;
        else if (t.status === 'skipped') {
          count.skipped += 1;
          const skip = t.annotations?.find((a) => a.type === 'skip');
          notes.push(`${suiteName} skipped: ${spec.title} (${skip?.description ?? 'no reason given'})`);
        } else count.failed += 1;
      }
    }
  }
  // Errors outside any test (a spec that does not load) fail the suite too.
  counts.e2e.failed += report.errors?.length ?? 0;
  if (!runnerOk && counts.e2e.failed + counts.desktop.failed === 0) counts.e2e.failed = 1;
  const lines = Object.entries(counts).map(
    ([name, c]) => `${name}: ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`,
  );
  // No desktop journey at all is a failure, not a pass.
  const desktopRan = counts.desktop.passed + counts.desktop.failed > 0;
  if (!desktopRan) lines[1] = 'desktop: 0 passed, 1 failed (no desktop journey ran)';
  const failed = !runnerOk || !desktopRan || counts.e2e.failed + counts.desktop.failed > 0;
  return { lines, notes, failed };
}
