#!/usr/bin/env node
// Checks the packaged app's layout without downloading Electron: electron-builder
// assembles linux-unpacked and app.asar from the project's own electron-builder.yml, with
// its `electronDist` pointed at a stand-in Electron distribution (a placeholder `electron`
// executable). Then every file the app needs at run time is looked for, and every import
// of the packaged main bundle is resolved inside the package.
//
// The Linux .desktop entry and icon set are computed the way electron-builder's AppImage
// and deb targets compute them (its LinuxTargetHelper, called from an afterPack hook);
// the installers themselves (AppImage, deb, NSIS, dmg) need downloaded tools and are not
// made here. Where the Electron-ABI build of better-sqlite3 was never
// made (`npm start` makes it; it needs Electron's headers), a placeholder file stands in
// for it, and the check says so.
import { spawnSync } from 'node:child_process';
import { builtinModules, createRequire } from 'node:module';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const asar = require('@electron/asar'); // electron-builder's own archive library
const yaml = require('js-yaml'); // electron-builder reads its YAML config with it

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const work = mkdtempSync(join(tmpdir(), 'haul-package-'));
let passed = 0;
let failed = 0;

function check(title, ok, detail = '') {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${title}${detail ? `: ${detail}` : ''}`);
}

function finish() {
  rmSync(work, { recursive: true, force: true });
  console.log(`package checks: ${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

if (!existsSync(join(root, 'out/main/index.js'))) {
  check('the build exists (run electron-vite build first)', false);
  finish();
}

// The stand-in Electron distribution: what electron-builder copies and renames.
const dist = join(work, 'electron-dist');
mkdirSync(join(dist, 'resources'), { recursive: true });
writeFileSync(join(dist, 'electron'), '#!/bin/sh\necho "a stand-in for packaging checks, not Electron" >&2\nexit 1\n');
chmodSync(join(dist, 'electron'), 0o755);
writeFileSync(join(dist, 'version'), `${electronVersion}\n`);

const realNative = join(root, '.native', `electron-${electronVersion}`, 'better_sqlite3.node');
const nativeIsReal = existsSync(realNative);
const placeholder = join(work, 'better_sqlite3.node');
writeFileSync(placeholder, 'placeholder: the Electron-ABI build of better-sqlite3 was not made on this machine\n');

const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
// Records the .desktop entry and icons the Linux installers would carry.
const afterPack = join(work, 'after-pack.cjs');
writeFileSync(
  afterPack,
  `const { join } = require('node:path');
const { writeFileSync } = require('node:fs');
const { LinuxTargetHelper } = require(${JSON.stringify(join(root, 'node_modules/app-builder-lib/out/targets/LinuxTargetHelper.js'))});
exports.default = async (context) => {
  const helper = new LinuxTargetHelper(context.packager);
  const entry = await helper.computeDesktopEntry(context.packager.platformSpecificBuildOptions);
  writeFileSync(join(context.appOutDir, '..', 'desktop-entry.json'), JSON.stringify({ entry, icons: await helper.icons }));
};
`,
);
config.afterPack = afterPack;
config.electronDist = dist;
config.electronVersion = electronVersion;
config.directories = { ...config.directories, output: join(work, 'release') };
if (!nativeIsReal) {
  config.extraResources = config.extraResources.map((entry) =>
    entry.to === 'native/better_sqlite3.node' ? { ...entry, from: placeholder } : entry,
  );
}
writeFileSync(join(work, 'config.json'), JSON.stringify(config));

const built = spawnSync(
  join(root, 'node_modules/.bin/electron-builder'),
  ['--linux', 'dir', '--config', join(work, 'config.json'), '--projectDir', root],
  { cwd: root, encoding: 'utf8', env: { ...process.env, HAUL_ELECTRON_VERSION: electronVersion } },
);
const app = join(work, 'release', 'linux-unpacked');
check('electron-builder assembles linux-unpacked', built.status === 0 && existsSync(app), built.stderr.slice(-2000));
if (built.status !== 0) finish();

const resources = join(app, 'resources');
const unpacked = join(resources, 'app.asar.unpacked');
const inAsar = new Set(asar.listPackage(join(resources, 'app.asar')).map((p) => p.replaceAll('\\', '/')));
/** True when the app can read `path` (relative to the app folder), packed or unpacked. */
const present = (path) => inAsar.has(`/${path}`) || existsSync(join(unpacked, path));
const read = (path) =>
  existsSync(join(unpacked, path))
    ? readFileSync(join(unpacked, path), 'utf8')
    : asar.extractFile(join(resources, 'app.asar'), path).toString('utf8');

check('the executable is named after the product', existsSync(join(app, manifest.name)));
for (const path of ['package.json', 'out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
  check(`${path} is in the package`, present(path));
}
const html = read('out/renderer/index.html');
for (const [, asset] of html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)) {
  check(`renderer asset ${asset}`, present(`out/renderer/${asset}`));
}

// The plugin worker thread and QuickJS load from disk: these must be outside the archive.
for (const path of ['out/main/plugin-worker.js']) {
  check(`${path} is unpacked`, existsSync(join(unpacked, path)));
}
check(
  "QuickJS's wasm is unpacked",
  existsSync(join(unpacked, 'node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm')),
);

const native = join(resources, 'native', 'better_sqlite3.node');
check(
  `better-sqlite3's Electron build is in resources/native${nativeIsReal ? '' : ' (a placeholder: no Electron build here)'}`,
  existsSync(native) && (!nativeIsReal || statSync(native).size === statSync(realNative).size),
);
for (const plugin of ['checksum', 'link-rules', 'organize']) {
  const dir = join(resources, 'plugins', plugin);
  check(`bundled plugin ${plugin}`, existsSync(join(dir, 'plugin.json')) && existsSync(join(dir, 'main.js')));
}
const isPng = (file) => existsSync(file) && readFileSync(file).subarray(1, 4).toString('latin1') === 'PNG';
for (const icon of ['idle', 'active', 'error']) {
  for (const scale of ['', '@2x'])
    check(`tray icon ${icon}${scale}.png`, isPng(join(resources, 'tray', `${icon}${scale}.png`)));
}
const icon = readFileSync(join(root, 'resources', 'icon.png'));
const [width, height] = [icon.readUInt32BE(16), icon.readUInt32BE(20)];
check('the app icon is square and at least 512 px', width === height && width >= 512);

// The .desktop entry: haul:// links open Haul, with the link as its argument.
const desktop = JSON.parse(readFileSync(join(work, 'release', 'desktop-entry.json'), 'utf8'));
const entry = Object.fromEntries(
  desktop.entry
    .split('\n')
    .filter((line) => line.includes('='))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);
check(
  '.desktop entry handles x-scheme-handler/haul',
  (entry.MimeType ?? '').split(';').includes('x-scheme-handler/haul'),
);
check('.desktop entry passes the link to the app (Exec ... %U)', / %U$/.test(entry.Exec ?? ''), entry.Exec);
check(
  '.desktop entry names Haul and its icon',
  entry.Name === 'Haul' && entry.Icon === manifest.name && entry.Type === 'Application',
);
const sizes = desktop.icons.map((i) => i.size).sort((a, b) => a - b);
const usual = [16, 32, 48, 64, 128, 256, 512].filter((size) => !sizes.includes(size));
check(
  'the Linux icon set has the usual sizes (resources/icons, made by scripts/make-icons.mjs)',
  usual.length === 0,
  usual.length > 0 ? `missing ${usual.join(', ')}` : '',
);

// Nothing for development only.
const packedModules = new Set(
  [...inAsar].map((p) => /^\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p)?.[1]).filter(Boolean),
);
const devShipped = Object.keys(manifest.devDependencies).filter((name) => packedModules.has(name));
check('no dev dependency is shipped', devShipped.length === 0, devShipped.join(', '));
const ownFiles = [...inAsar].filter((p) => !p.startsWith('/node_modules/'));
const testLike = ownFiles.filter((p) => /\.test\.|\/e2e\/|^\/src-|^\/scripts\/|\.map$|^\/test-results\//.test(p));
check('no test files, sources or scripts', testLike.length === 0, testLike.slice(0, 5).join(', '));

// Every import of the packaged main bundle resolves inside the package.
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const mainFiles = [...new Set([...ownFiles, ...[...inAsar].map((p) => p)])]
  .filter((p) => /^\/out\/main\/.*\.js$/.test(p))
  .map((p) => p.slice(1));
const unresolved = [];
for (const file of mainFiles) {
  // Block comments left out: bundled libraries quote imports in their docs (`import('../x')`);
  // a specifier has no space or comma (a list of strings after the word "from" is not one).
  const source = read(file).replace(/\/\*[\s\S]*?\*\//g, '');
  const specifiers = [
    ...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s*)["']([^"'\s,]+)["']/gm),
  ];
  for (const [, specifier] of specifiers) {
    if (builtins.has(specifier) || specifier === 'electron') continue;
    if (specifier.startsWith('.')) {
      if (!present(posix.join(posix.dirname(file), specifier))) unresolved.push(`${file}: ${specifier}`);
      continue;
    }
    const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
    if (!present(`node_modules/${name}/package.json`)) unresolved.push(`${file}: ${specifier}`);
  }
}
check(
  `every import of the ${mainFiles.length} main bundle files resolves in the package`,
  unresolved.length === 0,
  unresolved.join(', '),
);

finish();
