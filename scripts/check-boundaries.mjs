#!/usr/bin/env node
// Enforces the layer boundaries of DESIGN.md on every source file:
//   - src-main/core, src-main/server and src-main/headless.ts never import `electron`
//     (they run under plain Node);
//   - src-main/core imports nothing from src-main/shell or src-main/server;
//   - src-main/server imports nothing from src-main/shell;
//   - src-renderer imports nothing from src-main, and from src-preload only the contract;
//   - src-preload imports nothing from src-main or src-renderer.
// Exits 1 and lists every violation. `findViolations(root)` is used by its own test.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const sourceExtensions = /\.(c|m)?(t|j)sx?$/;
// import x from '...'; import '...'; export ... from '...'; import('...'); require('...')
const specifierPattern =
  /(?:^|[^.\w])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[^.\w])import\s*['"]([^'"]+)['"]|(?:^|[^.\w])(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

function posix(path) {
  return path.split(sep).join('/');
}

function* sourceFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (sourceExtensions.test(name)) yield path;
  }
}

export function importsOf(text) {
  const found = [];
  for (const match of text.matchAll(specifierPattern)) found.push(match[1] ?? match[2] ?? match[3]);
  return found;
}

/** The rule a file breaks by importing `specifier`, or undefined. Paths are posix, relative to root. */
export function ruleBroken(file, specifier, resolved) {
  const isElectron = specifier === 'electron' || specifier.startsWith('electron/');
  const nodeOnly =
    file.startsWith('src-main/core/') || file.startsWith('src-main/server/') || file === 'src-main/headless.ts';
  if (nodeOnly && isElectron) return 'runs under plain Node and must not import electron';
  if (resolved === undefined) return undefined;
  if (file.startsWith('src-main/core/') && /^src-main\/(shell|server)\//.test(resolved)) {
    return 'core must not import from shell or server';
  }
  if (file.startsWith('src-main/server/') && resolved.startsWith('src-main/shell/')) {
    return 'server must not import from shell';
  }
  if (file.startsWith('src-renderer/')) {
    if (resolved.startsWith('src-main/') || resolved === 'src-main') return 'renderer must not import from src-main';
    if (resolved.startsWith('src-preload/') && !/^src-preload\/contract(\.ts)?$/.test(resolved)) {
      return 'renderer may use only src-preload/contract';
    }
  }
  if (file.startsWith('src-preload/') && /^src-(main|renderer)\//.test(resolved)) {
    return 'preload must not import from src-main or src-renderer';
  }
  return undefined;
}

export function findViolations(root) {
  const violations = [];
  for (const top of ['src-main', 'src-preload', 'src-renderer']) {
    for (const path of sourceFiles(join(root, top))) {
      const file = posix(relative(root, path));
      for (const specifier of importsOf(readFileSync(path, 'utf8'))) {
        const resolved = specifier.startsWith('.')
          ? posix(relative(root, resolve(dirname(path), specifier)))
          : undefined;
        const reason = ruleBroken(file, specifier, resolved);
        if (reason) violations.push({ file, specifier, reason });
      }
    }
  }
  return violations;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const violations = findViolations(root);
  for (const v of violations) console.error(`${v.file}: imports '${v.specifier}': ${v.reason}`);
  if (violations.length > 0) {
    console.error(`boundaries: ${violations.length} violation(s)`);
    process.exit(1);
  }
  console.log('boundaries: ok');
}
