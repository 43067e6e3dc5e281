import { readdirSync, readlinkSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeState } from './resume-state';
import { makeContext, settle, tempDir, testEngine, testJob } from './test-context';

/** Descriptors of this process open on `path` (Linux's /proc). */
function openOn(path: string): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) count += 1;
    } catch {
      // Closed while listed.
    }
  }
  return count;
}

/** A port nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('a resume whose request fails', () => {
  it.skipIf(process.platform !== 'linux')('leaves no descriptor open on the part file', async () => {
    const dir = await tempDir();
    const partPath = join(dir, 'half.bin.part');
    await writeFile(partPath, Buffer.alloc(64 * 1024, 1));
    const url = `http://127.0.0.1:${await closedPort()}/half.bin`;
    const saved = encodeState({
      fileName: 'half.bin',
      partName: 'half.bin.part',
      url,
      totalBytes: 128 * 1024,
      etag: '"v1"',
      lastModified: null,
      contentType: null,
      resumable: true,
      segments: [{ start: 0, end: 128 * 1024, pos: 64 * 1024 }],
    });
    const t = makeContext(testJob(url, dir), saved);
    const result = await settle(testEngine()(t.ctx));
    expect(result.ok).toBe(false);
    expect(openOn(partPath)).toBe(0);
  });
});
