import { describe, expect, it } from 'vitest';
import { decodeState } from './resume-state';
import { makeContext, randomBody, sha256, tempDir, testEngine, testJob } from './test-context';
import { TestServer } from './test-server';

const server = TestServer.forFile();

describe('the writes of a finished download', () => {
  it('the last state a finished file saves is the synced file with what it publishes', async () => {
    const dir = await tempDir();
    const body = randomBody(1000);
    server.file('/w/one.bin', body);
    const t = makeContext(testJob(server.url('/w/one.bin'), dir));
    // Through the part file: a small answer held in memory saves once (held-answer.test.ts).
    const outcome = await testEngine({ heldAnswerBytes: 0 })(t.ctx);
    expect(outcome).toMatchObject({ fileName: 'one.bin', totalBytes: 1000, sha256: sha256(body) });
    // No checkpoint still running saves after it (it would drop what is being published).
    const last = t.states.at(-1)!;
    expect(last).toMatchObject({ publishing: { fileName: 'one.bin', totalBytes: 1000, sha256: sha256(body) } });
    // Read as after a system crash (another boot): the synced offsets alone cover the file.
    expect(decodeState(last, 'another boot')?.segments).toEqual([{ start: 0, end: 1000, pos: 1000 }]);
  });
});
