import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { JobFailure } from '../jobs/runner';
import { makeContext, randomBody, settle, tempDir, testEngine, testJob } from './test-context';
import { TestServer } from './test-server';

const server = TestServer.forFile();

describe('the minimum-speed rule', () => {
  it('stops a server that trickles (too slow for the rule, never silent for the stall timer) as transient', async () => {
    // About 1 KiB every 2 s: the 30 s stall timer never trips.
    server.file('/trickle.bin', randomBody(256 * 1024), { rateLimit: 512 });
    let minimum = 4096;
    const engine = testEngine({ minSpeed: () => minimum, minSpeedWindowMs: 1500, stallTimeoutMs: 30_000 });
    const dir = await tempDir();
    const result = await settle(engine(makeContext(testJob(server.url('/trickle.bin'), dir)).ctx));
    expect(result.ok).toBe(false);
    const failure = (result as { error: unknown }).error as JobFailure;
    expect(failure).toBeInstanceOf(JobFailure);
    expect(failure.kind).toBe('stalled');
    expect(failure.transient).toBe(true);
    // Whether Haul tries again is the job's to say (its attempts left), not the failure's.
    expect(failure.message).toMatch(/bytes\/s over 2 s, below the minimum of 4096 bytes\/s\.$/);
    // The part file stays for the retry, which resumes.
    expect(await readdir(dir)).toEqual(['trickle.bin.part']);
    // The rule is a setting: turned off, the same server is left alone (until it is cut here).
    minimum = 0;
    const t = makeContext(testJob(server.url('/trickle.bin'), await tempDir()));
    const running = settle(engine(t.ctx));
    await new Promise((resolve) => setTimeout(resolve, 3500));
    t.controller.abort('shutdown');
    const stopped = await running;
    expect(stopped.ok).toBe(false);
    expect((stopped as { error: unknown }).error).toBe('shutdown');
  });
});
