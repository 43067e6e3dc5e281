import { link, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DownloadOutcome } from '../jobs/runner';
import { fileSha256, makeContext, randomBody, sha256, tempDir, testEngine, testJob } from './test-context';
import { TestServer } from './test-server';

const server = TestServer.forFile();

const engine = testEngine();
const body = randomBody(300 * 1024);

/** A finished first attempt: the file published, and the state it left for a next one. */
async function published(path: string) {
  server.file(path, body);
  const dir = await tempDir();
  const job = testJob(server.url(path), dir);
  const first = makeContext(job);
  const outcome = await engine(first.ctx);
  return {
    dir,
    job,
    outcome,
    state: first.lastState(),
    served: () => server.log.filter((r) => r.path === path).length,
  };
}

describe('a download stopped after its file took its final name', () => {
  it('finds it by its inode where no SHA-256 was made, reading none of it', async () => {
    const plain = testEngine({ fingerprint: false });
    const path = '/plain.bin';
    server.file(path, body);
    const dir = await tempDir();
    const job = testJob(server.url(path), dir);
    const first = makeContext(job);
    const outcome = await plain(first.ctx);
    expect(outcome.sha256).toBeNull();
    expect(await fileSha256(outcome.path)).toBe(sha256(body));
    const state = first.lastState();
    expect(state).toMatchObject({
      publishing: { fileName: 'plain.bin', sha256: null, file: { ino: expect.stringMatching(/^\d+$/) } },
    });
    const before = server.log.filter((r) => r.path === path).length;
    const again = makeContext(job, state);
    expect(await plain(again.ctx)).toEqual(outcome);
    expect(server.log.filter((r) => r.path === path)).toHaveLength(before);
    expect(await readdir(dir)).toEqual(['plain.bin']);
    // Another file under the name (the same size; a freed inode may be given again, but not
    // with the old modification time): downloaded again beside it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await rm(join(dir, 'plain.bin'));
    await writeFile(join(dir, 'plain.bin'), randomBody(body.length));
    const third = await plain(makeContext(job, state).ctx);
    expect(third.fileName).toBe('plain (1).bin');
    expect(await fileSha256(third.path)).toBe(sha256(body));
  });

  it('finds a small answer held in memory by the SHA-256 its claim recorded, fingerprints off', async () => {
    const plain = testEngine({ fingerprint: false });
    const small = randomBody(10 * 1024);
    server.file('/small.bin', small);
    const dir = await tempDir();
    const job = testJob(server.url('/small.bin'), dir);
    const first = makeContext(job);
    const outcome = await plain(first.ctx);
    expect(outcome.sha256).toBeNull();
    const state = first.lastState();
    expect(state).toMatchObject({ publishing: { sha256: sha256(small), fingerprint: false } });
    const before = server.log.filter((r) => r.path === '/small.bin').length;
    expect(await plain(makeContext(job, state).ctx)).toEqual(outcome);
    expect(server.log.filter((r) => r.path === '/small.bin')).toHaveLength(before);
  });

  it('finds the published file on the next attempt instead of downloading it again as name (1)', async () => {
    const { dir, job, outcome, state, served } = await published('/pub.bin');
    expect(state).toMatchObject({ publishing: { fileName: 'pub.bin', sha256: sha256(body) } });
    const before = served();
    // The job never recorded `completed`: its next attempt starts from the same state.
    const again = makeContext(job, state);
    const second: DownloadOutcome = await engine(again.ctx);
    expect(second).toEqual(outcome);
    expect(again.processing).toBe(true);
    expect(served()).toBe(before);
    expect(await readdir(dir)).toEqual(['pub.bin']);
  });

  it('removes a part file still linked to the published one (stopped between link and unlink)', async () => {
    const { dir, job, outcome, state, served } = await published('/linked.bin');
    await link(join(dir, 'linked.bin'), join(dir, 'linked.bin.part'));
    const before = served();
    expect(await engine(makeContext(job, state).ctx)).toEqual(outcome);
    expect(served()).toBe(before);
    expect(await readdir(dir)).toEqual(['linked.bin']);
  });

  it('downloads again when the name now holds another file, leaving that file alone', async () => {
    const { dir, job, state, served } = await published('/other.bin');
    const other = randomBody(body.length);
    // Rewritten in place: the same inode and size, another modification time (file times
    // move by the kernel's tick, a few milliseconds).
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writeFile(join(dir, 'other.bin'), other);
    const before = served();
    const second = await engine(makeContext(job, state).ctx);
    expect(served()).toBeGreaterThan(before);
    expect(second.fileName).toBe('other (1).bin');
    expect(await fileSha256(join(dir, 'other (1).bin'))).toBe(sha256(body));
    expect(await fileSha256(join(dir, 'other.bin'))).toBe(sha256(other));
  });
});
