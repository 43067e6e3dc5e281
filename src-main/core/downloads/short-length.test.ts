import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fileSha256, makeContext, randomBody, sha256, tempDir, testEngine, testJob } from './test-context';
import { TestServer } from './test-server';

const server = TestServer.forFile();

describe('a server that announces 4 KiB more than it sends, then answers 416', () => {
  for (const connections of [1, 4]) {
    it(`ends with the bytes it has after one retry, paying at most 2x (${connections} connection(s))`, async () => {
      const body = randomBody(4 * 1024 * 1024);
      const path = `/short-${connections}.bin`;
      // Throttled, so that the extra connections really take part. The size is announced in
      // both the length and the first piece's range.
      server.file(path, body, { lieLength: 4096, totalDelta: 4096, rateLimit: 8 * 1024 * 1024 });
      const dir = await tempDir();
      const t = makeContext(testJob(server.url(path), dir, { connections }));
      const from = server.log.length;
      const outcome = await testEngine()(t.ctx);
      expect(outcome.totalBytes).toBe(body.length);
      expect(await fileSha256(outcome.path)).toBe(sha256(body));
      expect(outcome.sha256).toBe(sha256(body));
      expect(await readdir(dir)).toEqual([`short-${connections}.bin`]);
      expect(server.bytesServed(from)).toBeLessThanOrEqual(2 * body.length);
      // One retry: a single request for the bytes that never come, and no range asked twice
      // (with more connections the file is fetched in more pieces, each asked for once).
      const answers = server.log.slice(from);
      expect(answers.filter((r) => r.status === 416)).toHaveLength(1);
      const ranges = answers.flatMap((r) => (r.range ? [r.range] : []));
      expect(new Set(ranges).size).toBe(ranges.length);
      expect(t.logs.join('\n')).toMatch(/announced \d+ bytes but says the file ends at byte 4194304/);
    });
  }
});
