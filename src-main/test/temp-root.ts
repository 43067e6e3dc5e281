import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest's global setup: the run's temporary files go under one folder of their own,
 * removed when the run ends. Tests make their folders with `os.tmpdir()` (test servers'
 * files, downloads, data folders, the processes they start), and a test that fails
 * mid-way leaves its folder behind; the run's folder takes them all with it.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'haul-vitest-'));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(root, { recursive: true, force: true });
  };
}
