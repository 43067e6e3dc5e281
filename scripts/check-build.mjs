#!/usr/bin/env node
// Checks the built output for mistakes that only show at run time in Electron:
// a sandboxed preload can require nothing but `electron`, and every entry must exist.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'out');
const problems = [];

for (const entry of ['main/index.js', 'main/headless.js', 'preload/index.cjs', 'renderer/index.html']) {
  if (!existsSync(join(out, entry))) problems.push(`missing out/${entry}`);
}

const preload = join(out, 'preload/index.cjs');
if (existsSync(preload)) {
  const required = [...readFileSync(preload, 'utf8').matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
  for (const name of required) {
    if (name !== 'electron') problems.push(`out/preload/index.cjs requires '${name}': a sandboxed preload cannot`);
  }
}

for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exit(1);
console.log('build output: ok');
