import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { findViolations, importsOf } from './check-boundaries.mjs';

const script = resolve(__dirname, 'check-boundaries.mjs');
const repoRoot = resolve(__dirname, '..');
let tree: string | undefined;

function makeTree(files: Record<string, string>): string {
  tree = mkdtempSync(join(tmpdir(), 'haul-boundaries-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), text);
  }
  return tree;
}

afterEach(() => {
  if (tree) rmSync(tree, { recursive: true, force: true });
  tree = undefined;
});

describe('layer boundary check', () => {
  it('passes on the repository itself', () => {
    expect(findViolations(repoRoot)).toEqual([]);
  });

  it('finds every import form', () => {
    const text = [
      "import a from 'a';",
      "import type { B } from 'b';",
      "import 'c';",
      "export { d } from 'd';",
      "const e = await import('e');",
      "const f = require('f');",
      "import {\n  g,\n} from 'g';",
    ].join('\n');
    expect(importsOf(text)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });

  it('fails the build on an electron import in core, naming the file', () => {
    const root = makeTree({
      'src-main/core/ok.ts': "import { join } from 'node:path';\n",
      'src-main/core/jobs/bad.ts': "import { app } from 'electron';\n",
    });
    const result = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("src-main/core/jobs/bad.ts: imports 'electron'");
  });

  it('refuses the other wrong-way imports', () => {
    const root = makeTree({
      'src-main/headless.ts': "const { app } = require('electron');\n",
      'src-main/server/http.ts': "import { x } from '../shell/window';\n",
      'src-main/core/app.ts': "import { startServer } from '../server/http';\n",
      'src-main/shell/window.ts': "import { BrowserWindow } from 'electron';\n",
      'src-renderer/src/App.tsx': "import { createCore } from '../../src-main/core/app';\n",
      'src-renderer/src/bridge.ts': "import '../../src-preload/index';\n",
      'src-renderer/src/types.ts': "import type { AppInfo } from '../../src-preload/contract';\n",
    });
    const files = findViolations(root)
      .map((v: { file: string }) => v.file)
      .sort();
    expect(files).toEqual([
      'src-main/core/app.ts',
      'src-main/headless.ts',
      'src-main/server/http.ts',
      'src-renderer/src/App.tsx',
      'src-renderer/src/bridge.ts',
    ]);
  });

  it('exits 0 on a clean tree', () => {
    const root = makeTree({ 'src-main/shell/window.ts': "import { BrowserWindow } from 'electron';\n" });
    const result = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
    expect(result.status).toBe(0);
  });
});
