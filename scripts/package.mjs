#!/usr/bin/env node
// `npm run package`: installers for this platform with electron-builder, shipping the
// Electron-ABI build of better-sqlite3 that scripts/native-abi.mjs made.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8'));
const result = spawnSync(join(root, 'node_modules', '.bin', 'electron-builder'), process.argv.slice(2), {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, HAUL_ELECTRON_VERSION: version },
});
process.exit(result.status ?? 1);
