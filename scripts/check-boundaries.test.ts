import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { findCycles, findViolations, importsOf } from './check-boundaries.mjs';

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
      'src-renderer/src/types.ts': "import type { AppInfo } from '../../src-common/contract';\n",
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

  it('keeps the order inside the core, and fails on a planted upward import', () => {
    const root = makeTree({
      'src-main/core/store/job-store.ts': "import { JobCenter } from '../jobs/job-center';\n",
      'src-main/core/jobs/scheduler.ts': "import { transfer } from '../downloads/transfer';\n",
      'src-main/core/plugins/host.ts': "import type { Library } from '../library/library';\n",
      'src-main/core/plugins/calls.ts': "import { dispatch } from '../dispatch';\n",
      'src-main/core/library/library.ts':
        "import { HaulError } from '../errors';\nimport type { X } from '../plugins/completion-hooks';\n",
      'src-main/core/downloads/engine.ts': "import { markFailed } from '../jobs/transitions';\n",
      'src-main/core/plugins/test-kit.ts': "import { createCore } from '../app';\n",
    });
    const found = findViolations(root) as { file: string; reason: string }[];
    expect(found.map((v) => v.file).sort()).toEqual([
      'src-main/core/jobs/scheduler.ts',
      'src-main/core/plugins/calls.ts',
      'src-main/core/plugins/host.ts',
      'src-main/core/store/job-store.ts',
    ]);
    expect(found.find((v) => v.file.endsWith('host.ts'))?.reason).toContain(
      'core/plugins must not import from core/library',
    );
    const result = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
    expect(result.status).toBe(1);
  });

  it('keeps src-common at the bottom: zod and its own files only', () => {
    const root = makeTree({
      'src-common/jobs.ts': "import { z } from 'zod';\nimport { x } from './errors';\n",
      'src-common/bad.ts': "import { createCore } from '../src-main/core/app';\n",
      'src-common/node.ts': "import { readFileSync } from 'node:fs';\n",
    });
    expect(
      findViolations(root)
        .map((v: { file: string }) => v.file)
        .sort(),
    ).toEqual(['src-common/bad.ts', 'src-common/node.ts']);
  });

  it('finds import cycles, type imports included, and fails on them', () => {
    const root = makeTree({
      'src-main/core/downloads/transfer.ts': "import { SegmentWorker } from './segment-worker';\n",
      'src-main/core/downloads/segment-worker.ts': "import type { LiveSegment } from './transfer';\n",
      'src-main/core/downloads/engine.ts': "import { Transfer } from './transfer';\n",
      'src-main/core/downloads/engine.test.ts': "import { x } from './engine';\n",
    });
    const cycles = findCycles(root) as string[][];
    expect(cycles).toHaveLength(1);
    expect([...new Set(cycles[0])].sort()).toEqual([
      'src-main/core/downloads/segment-worker.ts',
      'src-main/core/downloads/transfer.ts',
    ]);
    const result = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('import cycle: ');
    expect(findCycles(repoRoot)).toEqual([]);
  });

  it('exits 0 on a clean tree', () => {
    const root = makeTree({ 'src-main/shell/window.ts': "import { BrowserWindow } from 'electron';\n" });
    const result = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
    expect(result.status).toBe(0);
  });
});
