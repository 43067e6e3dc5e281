import { spawnSync, type SpawnSyncReturns } from 'node:child_process';

/**
 * Runs `script` as an ES module in a fresh Node process, its TypeScript imports loaded
 * through tsx: for what only a new process shows (a first start, its allocator, a check
 * that must not run past a deadline).
 */
export function runModuleScript(script: string, timeoutMs = 60_000): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: timeoutMs,
  });
}
