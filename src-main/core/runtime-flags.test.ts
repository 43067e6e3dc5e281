import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The young generation's size before and after a load whose objects survive a few
 * collections (what makes V8 grow it), in a fresh process: V8 never shrinks it while busy,
 * so this test's own process would tell nothing.
 */
function youngGrowth(withFlags: boolean): { before: number; after: number } {
  const script = [
    `import { getHeapSpaceStatistics } from 'node:v8';`,
    `import { setRuntimeFlags } from ${JSON.stringify(join(import.meta.dirname, 'runtime-flags.ts'))};`,
    `const young = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size;`,
    withFlags ? 'setRuntimeFlags();' : '',
    'const before = young();',
    'let kept = [];',
    'for (let i = 0; i < 3_000_000; i += 1) {',
    '  kept.push({ i, text: `item ${i}` });',
    '  if (kept.length > 300_000) kept = kept.slice(150_000);',
    '}',
    'console.log(JSON.stringify({ before, after: young(), kept: kept.length }));',
  ].join('\n');
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (child.status !== 0) throw new Error(`the child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { before: number; after: number };
}

describe('runtime flags', () => {
  it('keep the young generation at its size under a load that grows it otherwise', () => {
    const grown = youngGrowth(false);
    expect(grown.after).toBeGreaterThan(grown.before);
    const kept = youngGrowth(true);
    // V8 may still round it up once (1 to 2 MB), never towards its largest (32 MB).
    expect(kept.after * 4).toBeLessThanOrEqual(grown.after);
  });
});
