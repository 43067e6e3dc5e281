import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AttemptContext } from './attempt-context';
import { discardLeftoverPart } from './leftover-part';
import { PartFile } from './part-file';
import { decodeState, encodeState } from './resume-state';
import { makeContext, settle, tempDir, testEngine, testJob } from './test-context';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A file sent without its length (it cannot be resumed); the first answer is cut. */
async function unsizedServer(body: Buffer): Promise<string> {
  let answers = 0;
  server = createServer((_req, res) => {
    answers += 1;
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    if (answers === 1) {
      res.write(body.subarray(0, 300 * 1024));
      setTimeout(() => res.socket?.destroy(), 50);
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/foo.bin`;
}

const planted = "another user's file\n";

describe('a part file the download removed', () => {
  it('is never reopened, nor removed, under its name once something else is there', async () => {
    const body = Buffer.alloc(400 * 1024, 0x42);
    const url = await unsizedServer(body);
    const dir = await tempDir();
    const engine = testEngine({ stallTimeoutMs: 2000 });
    const first = makeContext(testJob(url, dir));
    expect((await settle(engine(first.ctx))).ok).toBe(false);
    expect(await readdir(dir)).toEqual([]);
    const saved = first.lastState();
    expect(saved).toMatchObject({ partName: 'foo.bin.part', partRemoved: true });
    expect(decodeState(saved)).toBeNull();

    // Something else takes the name meanwhile: a file another download published as
    // foo.bin.part, or one another user put in a shared folder.
    await writeFile(join(dir, 'foo.bin.part'), planted);
    await discardLeftoverPart(dir, saved!);
    expect(await readFile(join(dir, 'foo.bin.part'), 'utf8')).toBe(planted);

    const second = makeContext(testJob(url, dir), saved);
    const result = await settle(engine(second.ctx));
    expect(result.ok && result.value.fileName).toBe('foo (1).bin');
    expect(await readFile(join(dir, 'foo (1).bin'))).toEqual(body);
    expect(await readFile(join(dir, 'foo.bin.part'), 'utf8')).toBe(planted);
  });

  it("is marked in the attempt's last saved state, which keeps what else it recorded", async () => {
    const dir = await tempDir();
    const t = makeContext(testJob('http://127.0.0.1:9/x.bin', dir));
    const attempt = new AttemptContext(t.ctx);
    const state = encodeState({
      fileName: 'x.bin',
      partName: 'x.bin.part',
      url: 'http://127.0.0.1:9/x.bin',
      totalBytes: null,
      etag: null,
      lastModified: null,
      contentType: null,
      resumable: false,
      segments: [],
    });
    attempt.saveState({ ...state, publishing: { fileName: 'x.bin' } });
    const part = await PartFile.create(join(dir, 'x.bin.part'));
    await attempt.discard(part);
    expect(await readdir(dir)).toEqual([]);
    expect(t.lastState()).toEqual({ ...state, publishing: { fileName: 'x.bin' }, partRemoved: true });
    expect(t.states).toHaveLength(2);
  });
});
