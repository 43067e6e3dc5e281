#!/usr/bin/env node
// Enforces the layer boundaries of ARCHITECTURE.md on every source file:
//   - src-main/core, src-main/server and src-main/headless.ts never import `electron`
//     (they run under plain Node);
//   - src-main/core imports nothing from src-main/shell or src-main/server;
//   - src-main/server imports nothing from src-main/shell;
//   - src-common (the contract) imports only zod and nothing from the other folders;
//   - src-renderer imports nothing from src-main or src-preload (only src-common);
//   - src-preload imports nothing from src-main or src-renderer;
//   - inside the core: store < jobs < downloads < plugins < library < app (see coreRanks);
//   - no import cycles between source files of main, preload and the contract.
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

/**
 * The order of the core's parts, lowest first: a part imports only from its own rank or
 * below. `base` is the core's own plain helpers (errors, clock, paths, settings).
 */
const coreRanks = { base: 0, store: 1, jobs: 2, downloads: 3, plugins: 4, library: 5, app: 6 };
const coreTopFiles = { 'app.ts': 'app', 'dispatch.ts': 'app', 'api-token.ts': 'app' };

/** The part of the core a path (relative to root, posix) belongs to, or undefined outside the core. */
export function corePart(path) {
  const match = /^src-main\/core\/(.+)$/.exec(path);
  if (!match) return undefined;
  const rest = match[1];
  const slash = rest.indexOf('/');
  if (slash > 0) return rest.slice(0, slash) in coreRanks ? rest.slice(0, slash) : 'app';
  const name = /\.[cm]?[tj]sx?$/.test(rest) ? rest : `${rest}.ts`;
  return coreTopFiles[name] ?? 'base';
}

/** Test files and test kits may use any part of the core to set up what they check. */
function isTestCode(file) {
  return /\.test\.[cm]?[tj]sx?$/.test(file) || /\/test-[\w-]+\.ts$/.test(file) || /-kit\.ts$/.test(file);
}

/** The rule a file breaks by importing `specifier`, or undefined. Paths are posix, relative to root. */
export function ruleBroken(file, specifier, resolved) {
  const isElectron = specifier === 'electron' || specifier.startsWith('electron/');
  const nodeOnly =
    file.startsWith('src-main/core/') ||
    file.startsWith('src-main/server/') ||
    file.startsWith('src-common/') ||
    file === 'src-main/headless.ts';
  if (nodeOnly && isElectron) return 'runs under plain Node and must not import electron';
  if (file.startsWith('src-common/')) {
    if (resolved === undefined && specifier !== 'zod') return 'src-common is the bottom layer: it imports only zod';
    if (resolved !== undefined && !resolved.startsWith('src-common/')) {
      return 'src-common is the bottom layer: it imports nothing from the other folders';
    }
  }
  if (resolved === undefined) return undefined;
  if (file.startsWith('src-main/core/') && /^src-main\/(shell|server)\//.test(resolved)) {
    return 'core must not import from shell or server';
  }
  if (file.startsWith('src-main/core/') && !isTestCode(file)) {
    const from = corePart(file);
    const to = corePart(resolved);
    if (from && to && coreRanks[to] > coreRanks[from]) {
      return `core/${from} must not import from core/${to} (order: store < jobs < downloads < plugins < library < app)`;
    }
  }
  if (file.startsWith('src-main/server/') && resolved.startsWith('src-main/shell/')) {
    return 'server must not import from shell';
  }
  if (file.startsWith('src-renderer/')) {
    if (resolved.startsWith('src-main/') || resolved === 'src-main') return 'renderer must not import from src-main';
    if (resolved.startsWith('src-preload/')) return 'renderer talks to main only through src-common';
  }
  if (file.startsWith('src-preload/') && /^src-(main|renderer)\//.test(resolved)) {
    return 'preload must not import from src-main or src-renderer';
  }
  return undefined;
}

export function findViolations(root) {
  const violations = [];
  for (const top of ['src-common', 'src-main', 'src-preload', 'src-renderer']) {
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

/** The file a relative specifier names, as TypeScript resolves it, or undefined. */
function resolveFile(from, specifier) {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/**
 * Import cycles between source files (tests aside), type imports included: two files that
 * import each other are one concept split in two, or a missing lower file. Each cycle is
 * listed once, as the chain of files (posix, relative to root).
 */
export function findCycles(root) {
  const graph = new Map();
  // The renderer's store is left out: zustand's slices pattern has each slice's type name
  // the whole State, a cycle of types only.
  for (const top of ['src-common', 'src-main', 'src-preload']) {
    for (const path of sourceFiles(join(root, top))) {
      if (/\.test\.[cm]?[tj]sx?$/.test(path)) continue;
      const deps = importsOf(readFileSync(path, 'utf8'))
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => resolveFile(path, specifier))
        .filter((file) => file !== undefined && !/\.test\.[cm]?[tj]sx?$/.test(file));
      graph.set(path, deps);
    }
  }
  const cycles = [];
  const state = new Map(); // 1: on the current path, 2: done
  const path = [];
  const visit = (node) => {
    state.set(node, 1);
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 1)
        cycles.push([...path.slice(path.indexOf(next)), next].map((f) => posix(relative(root, f))));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 2);
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const violations = findViolations(root);
  for (const v of violations) console.error(`${v.file}: imports '${v.specifier}': ${v.reason}`);
  const cycles = findCycles(root);
  for (const cycle of cycles) console.error(`import cycle: ${cycle.join(' -> ')}`);
  if (violations.length > 0 || cycles.length > 0) {
    console.error(`boundaries: ${violations.length} violation(s), ${cycles.length} import cycle(s)`);
    process.exit(1);
  }
  console.log('boundaries: ok');
}
