import { afterEach, describe, expect, it } from 'vitest';
import { openTestCenter, settle, type TestCenter } from '../../test/job-kit';
import { JobFailure } from './runner';

let t: TestCenter;
afterEach(async () => {
  await t?.dispose();
});

describe('retries', () => {
  it('retries transient failures with capped backoff, honouring Retry-After, up to maxAttempts', async () => {
    t = openTestCenter();
    const [job] = t.center.submit({ url: 'https://a.example/flaky', maxAttempts: 3 }).jobs;
    t.engine
      .running()[0]!
      .fail(new JobFailure('http', 'The server answered 503', { transient: true, retryAfterMs: 30_000 }));
    await settle();
    const waiting = t.center.registry.stored(job!.id)!;
    expect(waiting.job).toMatchObject({
      status: 'pending',
      attempts: 1,
      message: expect.stringMatching(/^Retrying in 30 s/),
    });
    expect(waiting.notBefore).toBe(t.clock.now() + 30_000);
    // Counted as pending and, for the queues API, as delayed.
    expect(t.center.queues().queues[0]).toMatchObject({ counts: { pending: 1 }, retrying: 1 });
    t.clock.advance(29_999);
    expect(t.engine.running()).toHaveLength(0);
    t.clock.advance(1);
    expect(t.engine.running()).toHaveLength(1);
    t.engine.running()[0]!.fail(new JobFailure('network', 'connection reset', { transient: true }));
    await settle();
    t.clock.advance(2000);
    t.engine.running()[0]!.fail(new JobFailure('network', 'connection reset', { transient: true }));
    await settle();
    expect(t.center.queues().queues[0]).toMatchObject({ retrying: 0 });
    expect(t.center.registry.get(job!.id)).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: { kind: 'network' },
      // Attempts ran out: the job says so, and promises no further try.
      message: 'connection reset. Gave up after 3 attempts.',
    });
    expect(t.center.getWithLog(job!.id).log).toHaveLength(3);
  });

  it('does not count an attempt that got further than any before it; one that did not counts', async () => {
    t = openTestCenter();
    const [job] = t.center.submit({ url: 'https://a.example/signed', maxAttempts: 2 }).jobs;
    const expired = () => new JobFailure('http', 'The server answered 403 Forbidden', { transient: true, status: 403 });
    /** Runs the next attempt to `bytes`, then fails it as an expired link does. */
    const attemptTo = async (bytes: number) => {
      t.clock.advance(2000); // past any backoff
      const attempt = t.engine.running()[0]!;
      attempt.context.progress({ receivedBytes: bytes, totalBytes: 1000, speed: 10, connections: 1 });
      attempt.fail(expired());
      await settle();
      return t.center.registry.get(job!.id);
    };
    // Each attempt brings bytes no attempt before had: the count starts again each time.
    for (const bytes of [300, 600, 900]) {
      expect(await attemptTo(bytes)).toMatchObject({ status: 'pending', attempts: 0, message: /^Retrying in 1 s: / });
    }
    // No further than 900: counted, then the attempts run out.
    expect(await attemptTo(900)).toMatchObject({ status: 'pending', attempts: 1, message: /\(attempt 1 of 2\)/ });
    expect(await attemptTo(850)).toMatchObject({ status: 'failed', attempts: 2, message: /Gave up after 2 attempts/ });
    // A download with one attempt gets one, headway or not.
    const [once] = t.center.submit({ url: 'https://a.example/once', maxAttempts: 1 }).jobs;
    const attempt = t.engine.running()[0]!;
    attempt.context.progress({ receivedBytes: 500, totalBytes: 1000, speed: 10, connections: 1 });
    attempt.fail(expired());
    await settle();
    expect(t.center.registry.get(once!.id)).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('never retries a permanent failure', async () => {
    t = openTestCenter();
    const [job] = t.center.submit({ url: 'https://files.example/0.bin' }).jobs;
    t.engine.running()[0]!.fail(new JobFailure('checksum', 'sha256 mismatch'));
    await settle();
    expect(t.center.registry.get(job!.id)).toMatchObject({ status: 'failed', attempts: 1 });
  });
});

describe('a download whose server cannot be reached (the network down)', () => {
  const unreachable = () =>
    new JobFailure('network', 'h cannot be reached (ENETUNREACH): is the network down?', {
      transient: true,
      unreachable: true,
    });

  it('waits for the network, asking less and less often, without using up its attempts', async () => {
    t = openTestCenter();
    const [job] = t.center.submit({ url: 'https://a.example/offline', maxAttempts: 2 }).jobs;
    const delays: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      t.engine.running()[0]!.fail(unreachable());
      await settle();
      const waiting = t.center.registry.stored(job!.id)!;
      expect(waiting.job).toMatchObject({
        status: 'pending',
        attempts: 0,
        message: expect.stringMatching(/^Waiting for the network: retrying in \d+ s: h cannot be reached/),
      });
      delays.push(waiting.notBefore! - t.clock.now());
      t.clock.advance(waiting.notBefore! - t.clock.now());
    }
    expect(t.center.getWithLog(job!.id).log.at(-1)).toBe(
      'its server could not be reached: not counted while the network is down',
    );
    // The backoff's growth, up to its longest wait (60 s).
    expect(delays.slice(0, 4)).toEqual([850, 1700, 3400, 6800]);
    expect(delays.at(-1)).toBe(51_000);
    // Back on the network, the download goes on; a failure there counts as usual.
    t.engine.running()[0]!.fail(new JobFailure('network', 'connection reset', { transient: true }));
    await settle();
    expect(t.center.registry.get(job!.id)).toMatchObject({ status: 'pending', attempts: 1 });
  });

  it('is not retried when it was allowed one attempt only', async () => {
    t = openTestCenter();
    const [job] = t.center.submit({ url: 'https://a.example/once', maxAttempts: 1 }).jobs;
    t.engine.running()[0]!.fail(unreachable());
    await settle();
    expect(t.center.registry.get(job!.id)).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('counts its attempts again once the wait has lasted half an hour', async () => {
    t = openTestCenter();
    const [job] = t.center.submit({ url: 'https://a.example/gone', maxAttempts: 2 }).jobs;
    const start = t.clock.now();
    for (let i = 0; i < 60 && t.center.registry.get(job!.id).status !== 'failed'; i += 1) {
      t.engine.running()[0]!.fail(unreachable());
      await settle();
      const waiting = t.center.registry.stored(job!.id)!;
      if (waiting.job.status === 'pending') t.clock.advance(waiting.notBefore! - t.clock.now());
    }
    expect(t.center.registry.get(job!.id)).toMatchObject({
      status: 'failed',
      attempts: 2,
      message: 'h cannot be reached (ENETUNREACH): is the network down? Gave up after 2 attempts.',
    });
    expect(t.clock.now() - start).toBeGreaterThanOrEqual(30 * 60_000);
  });
});
