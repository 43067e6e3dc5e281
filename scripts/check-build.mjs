#!/usr/bin/env node
// Checks the built output for mistakes that only show at run time in Electron:
// a sandboxed preload can require nothing but `electron`, and every entry must exist;
// and what `haul serve` loads at start.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

// What `haul serve` loads before it answers: the static imports from its entry and from
// the CommonJS copy of its program that the entry runs (serve.cjs: its requires at the top
// level), followed through the bundle's own chunks (an `import()` or a require inside a
// function loads later). These packages are for work that may never come, and cost
// start-up time and memory.
const notAtStart = ['undici', 'ws', '@fastify/static', '@fastify/ajv-compiler', 'ajv'];
const headless = join(out, 'main/headless.js');
if (!existsSync(join(out, 'main/serve.cjs')))
  problems.push('missing out/main/serve.cjs (the program headless.js runs)');
if (existsSync(headless)) {
  const seen = new Set();
  const packages = new Set();
  const visit = (file) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    const imports = file.endsWith('.cjs')
      ? /^(?:(?:const|let|var) [\w$]+ = )?require\("([^"]+)"\)/gm
      : /^\s*(?:import|export)\b[^'"();]*?["']([^"']+)["']/gm;
    for (const [, name] of source.matchAll(imports)) {
      if (name.startsWith('.')) visit(join(dirname(file), name));
      else packages.add(name);
    }
  };
  visit(headless);
  visit(join(out, 'main/serve.cjs'));
  // A package the build bundles (undici, for its code cache) is a chunk named after it,
  // or, for the parts of undici the engine loads file by file, a chunk named after one of
  // them: found by a string only undici's core holds (a diagnostics channel's name).
  const marks = { undici: 'undici:request:create' };
  const chunkDir = join(out, 'main/chunks');
  const scripts = existsSync(chunkDir) ? readdirSync(chunkDir).filter((file) => /\.c?js$/.test(file)) : [];
  // Each chunk read once: the chunks that hold each mark.
  const holders = Object.fromEntries(
    Object.entries(marks).map(([name, mark]) => [
      name,
      new Set(scripts.filter((file) => readFileSync(join(chunkDir, file), 'utf8').includes(mark))),
    ]),
  );
  const chunks = [...seen].map((file) => file.split('/').at(-1));
  for (const name of notAtStart) {
    const chunk = chunks.find(
      (file) => file.startsWith(`${name}-`) || file.startsWith(`serve-${name}-`) || holders[name]?.has(file),
    );
    // A mark no chunk holds any more (undici renamed its channel) would find nothing.
    if (holders[name]?.size === 0) {
      problems.push(`no chunk of the build holds '${marks[name]}': update how check-build.mjs finds ${name}`);
    }
    if (packages.has(name) || chunk) {
      problems.push(
        `out/main/headless.js loads '${name}' at start${chunk ? ` (${chunk})` : ''}; import it where it is used`,
      );
    }
  }
}

for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exit(1);
console.log('build output: ok');
