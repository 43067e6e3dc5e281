import { readdir, readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { JobFailure } from '../jobs/runner';
import { makeContext, settle, sha256, tempDir, testEngine, testJob } from './test-context';
import { TestServer } from './test-server';

const server = TestServer.forFile();

const engine = testEngine({ stallTimeoutMs: 2000 });

describe('a server that compresses although Haul asked for identity', () => {
  it('gets its bytes stored as sent, never expanded, under a name that says so', async () => {
    // 64 MiB of zeros gzip to about 64 KB: decoded, a small answer would fill the disk.
    const body = Buffer.alloc(64 * 1024 * 1024);
    const sent = gzipSync(body);
    server.file('/zeros.txt', body, { gzipAlways: true, contentType: 'text/plain' });
    const dir = await tempDir();
    const t = makeContext(testJob(server.url('/zeros.txt'), dir));
    const outcome = await engine(t.ctx);
    expect(outcome.fileName).toBe('zeros.txt.gz');
    expect(outcome.totalBytes).toBe(sent.length);
    expect(sha256(await readFile(outcome.path))).toBe(sha256(sent));
    expect(await readdir(dir)).toEqual(['zeros.txt.gz']);
    expect(t.logs.join('\n')).toMatch(/encoded as "gzip" .* saved as sent/);
  });

  it('leaves no .part behind when such an answer breaks off', async () => {
    const body = Buffer.from('Haul keeps what the server sent. '.repeat(400_000));
    server.file('/broken.txt', body, { gzipAlways: true, resetAfter: 2048 });
    const dir = await tempDir();
    const result = await settle(engine(makeContext(testJob(server.url('/broken.txt'), dir)).ctx));
    expect(result.ok).toBe(false);
    expect((result as { error: unknown }).error).toBeInstanceOf(JobFailure);
    expect(await readdir(dir)).toEqual([]);
  });
});
