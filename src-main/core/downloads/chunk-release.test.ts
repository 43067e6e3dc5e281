import { randomFillSync } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { releaseChunks } from './chunk-release';
import { runModuleScript } from '../../test/module-script';

/** A chunk as a socket read gives it: a buffer of its own, filled. */
function socketChunk(bytes = 64 * 1024): Buffer {
  return randomFillSync(Buffer.allocUnsafeSlow(bytes));
}

describe('releasing written chunks', () => {
  it('frees a chunk that is the whole of its buffer, at once', () => {
    const chunks = [socketChunk(), socketChunk(20_000)];
    const before = process.memoryUsage().arrayBuffers;
    releaseChunks(chunks);
    expect(chunks.map((chunk) => [chunk.length, chunk.buffer.byteLength])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    // The memory is gone now, not at the next collection.
    expect(before - process.memoryUsage().arrayBuffers).toBeGreaterThanOrEqual(84_000);
    // Released twice (a chunk met again): nothing happens.
    expect(() => releaseChunks(chunks)).not.toThrow();
  });

  it('leaves alone what others may still read: slices, pooled and small buffers, shared memory', () => {
    const whole = socketChunk(128 * 1024);
    const head = whole.subarray(0, 64 * 1024);
    const tail = whole.subarray(64 * 1024);
    const small = socketChunk(4000);
    const pooled = Buffer.from('a pooled buffer shares its memory with others');
    const shared = Buffer.from(new SharedArrayBuffer(64 * 1024));
    const copies = [head, tail, small, pooled, shared].map((chunk) => Buffer.from(chunk));
    releaseChunks([head, tail, small, pooled, shared]);
    [head, tail, small, pooled, shared].forEach((chunk, i) => expect(chunk.equals(copies[i]!)).toBe(true));
    expect(whole.length).toBe(128 * 1024);
  });
});

/** glibc's version where it is the C library (Node reports it), else undefined. */
const glibc = (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime;

/**
 * Page faults of 50 rounds of a download's turnover in a fresh process, primed: 96
 * socket-sized chunks (6 MiB) made, filled and released per round.
 */
function faultsOfPrimedTurnover(): number {
  const module = JSON.stringify(join(import.meta.dirname, 'chunk-release.ts'));
  const script = [
    "import { readFileSync } from 'node:fs';",
    `import { primeAllocator, releaseChunks } from ${module};`,
    'primeAllocator();',
    "const faults = () => Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')[7]);",
    'const round = () => {',
    '  const chunks = [];',
    '  for (let i = 0; i < 96; i += 1) chunks.push(Buffer.allocUnsafeSlow(64 * 1024).fill(1));',
    '  releaseChunks(chunks);',
    '};',
    'round();',
    'const before = faults();',
    'for (let i = 0; i < 50; i += 1) round();',
    'console.log(faults() - before);',
  ].join('\n');
  const child = runModuleScript(script);
  expect(child.status, child.stderr).toBe(0);
  return Number(child.stdout.trim().split('\n').at(-1));
}

describe('priming the allocator', () => {
  // Only glibc's malloc gives its heap's top back and maps it in again; elsewhere priming
  // is one allocation, freed, with nothing here to measure.
  it.skipIf(glibc === undefined)('stops glibc from mapping freed chunks in again at every turn', () => {
    // 50 rounds of 6 MiB are 76,800 pages: without priming, a fresh process faulted 3,400-
    // 68,000 of them in again (how many depends on what its start happened to free).
    expect(faultsOfPrimedTurnover()).toBeLessThan(2_000);
  });
});
