#!/usr/bin/env node
// `npm test`: every check the project promises, in order, then one summary line per suite.
//   checks: native build for Node, typecheck, lint + layer boundaries, format, the release workflow
//   unit:   vitest (core, server, shell, renderer logic, scripts)
//   build:  electron-vite build, and the sandboxed preload requires nothing but electron;
//           the browser extension (Vite, into extension/dist) and `web-ext lint` on it
//   package: the packaged layout (linux-unpacked, app.asar) checked file by file
//   e2e:    Playwright: the UI in Debian's Chromium against `haul serve`; the extension
//           loaded in Chromium; the Electron app where an Electron binary exists
//           (reported as skipped where not)
//   desktop: Playwright: the desktop journeys, the built app run through the Electron stand-in
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { e2eSummary } from './e2e-summary.mjs';
import { unitFailures } from './unit-failures.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const results = join(root, 'test-results');
const summary = [];
/** Printed above the summary, so the count lines close the output. */
const notes = [];
let failed = false;

function step(title, command, args) {
  process.stdout.write(`\n=== ${title}\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  const ok = result.status === 0;
  process.stdout.write(`=== ${title}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return ok;
}

/**
 * Like `step`, but in the background: its output goes to a file, printed as one block once
 * it ends. Resolves to whether it passed.
 */
function backgroundStep(title, command, args) {
  const log = join(results, `${title.replaceAll(/\W+/g, '-')}.log`);
  const fd = openSync(log, 'w');
  const started = Date.now();
  const child = spawn(command, args, {
    cwd: root,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  closeSync(fd);
  return new Promise((resolvePromise) => {
    let ended = false;
    const end = (ok, error) => {
      if (ended) return;
      ended = true;
      const output = readFileSync(log, 'utf8') + (error ? `${error.message}\n` : '');
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`\n=== ${title} (beside the checks above)\n${output}`);
      process.stdout.write(`=== ${title}: ${ok ? 'ok' : 'FAILED'} (${seconds} s)\n`);
      resolvePromise(ok);
    };
    child.on('error', (error) => end(false, error));
    child.on('exit', (code) => end(code === 0));
  });
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

// Static checks: each counts as one check. The native build for Node (which the unit
// tests need) compiles SQLite, one large C file, on one core: it runs beside the others,
// which do not need it, instead of before them (about two minutes of a run).
const native = backgroundStep('native build for Node', process.execPath, [
  join(root, 'scripts/native-abi.mjs'),
  'node',
]);
const checks = [
  ['typecheck (main + preload)', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']],
  ['typecheck (renderer)', bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit']],
  ['typecheck (e2e)', bin('tsc'), ['-p', 'tsconfig.e2e.json', '--noEmit']],
  ['typecheck (extension)', bin('tsc'), ['-p', 'extension/tsconfig.json', '--noEmit']],
  ['typecheck (extension build)', bin('tsc'), ['-p', 'extension/tsconfig.node.json', '--noEmit']],
  ['lint', bin('eslint'), ['.']],
  ['layer boundaries', process.execPath, [join(root, 'scripts/check-boundaries.mjs')]],
  ['format', bin('prettier'), ['--check', '.']],
  ['release workflow', bin('action-validator'), ['.github/workflows/release.yml']],
];
let checksPassed = 0;
for (const [title, command, args] of checks) {
  if (step(title, command, args)) checksPassed += 1;
  else failed = true;
}
if (await native) checksPassed += 1;
else failed = true;
summary.push(`checks: ${checksPassed} passed, ${checks.length + 1 - checksPassed} failed`);

// Unit tests.
const unitJson = join(results, 'unit.json');
const unitOk = step('unit tests', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${unitJson}`,
]);
const unit = readJson(unitJson);
if (unit) {
  summary.push(`unit: ${unit.numPassedTests} passed, ${unit.numFailedTests} failed`);
  notes.push(...unitFailures(unit, root));
} else {
  summary.push('unit: 0 passed, 1 failed (the test runner produced no report)');
}
if (!unitOk || !unit || unit.numFailedTests > 0) failed = true;

// Build, then end-to-end.
const buildOk =
  step('build', bin('electron-vite'), ['build']) &&
  step('build output', process.execPath, [join(root, 'scripts/check-build.mjs')]) &&
  step('build extension', bin('vite'), ['build', '--config', 'extension/vite.config.ts']) &&
  // Errors fail; the one expected warning is Firefox ignoring the Chromium service_worker key.
  step('web-ext lint', bin('web-ext'), ['lint', '--source-dir', 'extension/dist', '--no-input']);
if (!buildOk) failed = true;

// The package layout, assembled by electron-builder around a stand-in Electron distribution.
if (buildOk) {
  process.stdout.write('\n=== package layout\n');
  const packaged = spawnSync(process.execPath, [join(root, 'scripts/check-package.mjs')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  process.stdout.write(packaged.stdout + packaged.stderr);
  const counts = /package checks: (\d+) passed, (\d+) failed/.exec(packaged.stdout);
  summary.push(
    counts ? `package: ${counts[1]} passed, ${counts[2]} failed` : 'package: 0 passed, 1 failed (no result)',
  );
  if (packaged.status !== 0 || !counts) failed = true;
} else {
  summary.push('package: 0 passed, 1 failed (not run: the build failed)');
}

if (buildOk) {
  const e2eJson = join(results, 'e2e.json');
  const e2eOk = step('e2e tests', bin('playwright'), ['test']);
  const e2e = e2eSummary(readJson(e2eJson), e2eOk);
  summary.push(...e2e.lines);
  notes.push(...e2e.notes);
  if (e2e.failed) failed = true;
} else {
  summary.push('e2e: 0 passed, 1 failed (not run: the build failed)');
  summary.push('desktop: 0 passed, 1 failed (not run: the build failed)');
}

if (existsSync(join(results, 'screenshots'))) notes.push(`screenshots saved in ${join('test-results', 'screenshots')}`);
process.stdout.write(`\n${[...notes, ...summary].join('\n')}\n`);
process.exit(failed ? 1 : 0);
