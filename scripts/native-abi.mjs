#!/usr/bin/env node
// Makes sure better-sqlite3 has a native build for the runtime about to use it.
//
//   node scripts/native-abi.mjs node       the package's own build, for tests and `haul serve`
//   node scripts/native-abi.mjs electron   a separate build in .native/, for the Electron app
//
// The two builds live side by side, so `npm test` and `npm start` work in either order
// and neither ever overwrites the other. A build that does not load in its runtime
// (missing, or compiled for another ABI) is rebuilt; it is never used as it is.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const packageDir = join(root, 'node_modules', 'better-sqlite3');
const nodeGyp = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');

function log(message) {
  process.stderr.write(`[native] ${message}\n`);
}

function fail(message) {
  log(message);
  process.exit(1);
}

/** Node's own headers when they are installed beside it (Debian's nodejs puts them in /usr). */
function nodeDirFlag() {
  const configured = process.env.npm_config_nodedir;
  if (configured) return [`--nodedir=${configured}`];
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include', 'node', 'node.h')) ? [`--nodedir=${prefix}`] : [];
}

function run(command, args, cwd, env = process.env) {
  const result = spawnSync(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
  return result.status === 0;
}

/** Opens an in-memory database with the given runtime; true when the binary loads and works. */
function loads(runtimePath, bindingPath, env = process.env) {
  const probe = [
    `const Database = require(${JSON.stringify(packageDir)});`,
    `const db = new Database(':memory:'${bindingPath ? `, { nativeBinding: ${JSON.stringify(bindingPath)} }` : ''});`,
    `db.prepare('select 1').get(); db.close();`,
  ].join(' ');
  const result = spawnSync(runtimePath, ['-e', probe], { cwd: root, env, encoding: 'utf8' });
  if (result.status !== 0) {
    const reason = (result.stderr || '').split('\n').find((line) => /Error|version|not found/i.test(line));
    if (reason) log(`current build does not load: ${reason.trim()}`);
  }
  return result.status === 0;
}

function ensureNode() {
  if (!existsSync(packageDir)) fail('better-sqlite3 is not installed: run `npm ci` first.');
  if (loads(process.execPath)) return;
  log(
    `building better-sqlite3 for Node ${process.version} (ABI ${process.versions.modules}); this takes a minute or two`,
  );
  if (!run(process.execPath, [nodeGyp, 'rebuild', '--release', ...nodeDirFlag()], packageDir)) {
    fail('building better-sqlite3 failed: a C++ compiler, make and python3 are needed (see README).');
  }
  if (!loads(process.execPath)) fail('the fresh better-sqlite3 build still does not load in Node.');
  log('better-sqlite3 ready for Node');
}

/** The Electron binary, if it is present (it is fetched on first use, not at install). */
function electronBinary() {
  const electronDir = join(root, 'node_modules', 'electron');
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(binary) ? binary : undefined;
}

function ensureElectronBinary() {
  if (electronBinary()) return;
  log('fetching the Electron binary (first run only)');
  if (!run(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], root) || !electronBinary()) {
    fail(
      'the Electron binary could not be fetched (no network access to its download host?). ' +
        'Headless mode works without it: `npm run serve`.',
    );
  }
}

function electronBindingPath(version) {
  return join(root, '.native', `electron-${version}`, 'better_sqlite3.node');
}

function ensureElectron() {
  if (!existsSync(packageDir)) fail('better-sqlite3 is not installed: run `npm ci` first.');
  const electronPackage = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8'));
  const version = electronPackage.version;
  ensureElectronBinary();
  const binding = electronBindingPath(version);
  const electronEnv = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
  if (existsSync(binding) && loads(electronBinary(), binding, electronEnv)) return;

  log(`building better-sqlite3 for Electron ${version}; this takes a minute or two`);
  const buildDir = join(root, '.native', `build-electron-${version}`);
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  cpSync(packageDir, buildDir, { recursive: true, filter: (src) => !src.startsWith(join(packageDir, 'build')) });
  const args = [
    nodeGyp,
    'rebuild',
    '--release',
    `--target=${version}`,
    '--dist-url=https://electronjs.org/headers',
    '--runtime=electron',
  ];
  if (!run(process.execPath, args, buildDir)) fail('building better-sqlite3 for Electron failed (see above).');
  mkdirSync(dirname(binding), { recursive: true });
  cpSync(join(buildDir, 'build', 'Release', 'better_sqlite3.node'), binding);
  rmSync(buildDir, { recursive: true, force: true });
  if (!loads(electronBinary(), binding, electronEnv)) fail('the fresh Electron build of better-sqlite3 does not load.');
  writeFileSync(join(dirname(binding), 'built-for.txt'), `electron ${version}\n`);
  log(`better-sqlite3 ready for Electron ${version}`);
}

const target = process.argv[2];
if (target === 'node') ensureNode();
else if (target === 'electron') ensureElectron();
else fail('usage: native-abi.mjs node|electron');
