import { afterEach, describe, expect, it } from 'vitest';
import type { ParsedInput, TaskJob } from '../../../src-common/contract';
import { openTestCenter, type TestCenter } from '../../test/job-kit';

let t: TestCenter;
afterEach(async () => {
  await t.dispose();
});

const api = { kind: 'api' } as const;
function create(input: Partial<ParsedInput<'jobs.create'>> = {}): TaskJob {
  return t.center.tasks.create({ name: 'Nightly backup', ...input }, api);
}
const status = (id: string) => (t.center.registry.get(id) as TaskJob).status;

describe('tasks: create, report, finish', () => {
  it('creates a task, merges reported metadata and completes it; SQLite holds the same after a restart', async () => {
    t = openTestCenter();
    const events = t.center.hub.subscribe();
    expect(events.poll()?.event).toBe('init');
    const job = create({ type: 'backup', source: 'backup.sh', metadata: { host: 'nas', keep: 1 }, start: true });
    expect(job).toMatchObject({
      source: 'task',
      status: 'running',
      creator: 'backup.sh',
      attempts: 1,
      control: 'continue',
    });
    const reported = t.center.tasks.report({
      id: job.id,
      progress: 40,
      message: 'Copying',
      metadata: { file: 'a.tar', keep: null },
    });
    expect(reported).toMatchObject({ progress: 40, message: 'Copying', metadata: { host: 'nas', file: 'a.tar' } });
    expect(reported.metadata).not.toHaveProperty('keep');
    t.clock.advance(300); // past the progress throttle: the report goes out on its own
    const done = t.center.tasks.complete(job.id, { bytes: 123 });
    expect(done).toMatchObject({ status: 'completed', progress: 100, result: { bytes: 123 }, control: 'cancel' });
    t.center.hub.flush();
    const names: string[] = ['init'];
    for (let event = events.poll(); event; event = events.poll()) names.push(event.event);
    expect(names).toEqual(['init', 'task_added', 'task_updated', 'task_updated']);
    expect(() => t.center.tasks.complete(job.id)).toThrow(/Cannot complete job .*: the task is completed/);
    t = await t.restart();
    expect(t.center.registry.get(job.id)).toMatchObject({
      status: 'completed',
      metadata: { host: 'nas', file: 'a.tar' },
    });
    expect(t.center.registry.snapshot().tasks.map((s) => s.id)).toEqual([job.id]);
  });

  it('a pending task starts with its first report; progress on a download is refused', () => {
    t = openTestCenter();
    const job = create();
    expect(job.status).toBe('pending');
    expect(t.center.tasks.report({ id: job.id, progress: 5 })).toMatchObject({ status: 'running', progress: 5 });
    const { jobs } = t.center.submit({ url: 'https://files.example/a.bin', paused: true });
    expect(() => t.center.tasks.report({ id: jobs[0]!.id, progress: 1 })).toThrow(/only tasks take reports/);
  });

  it('a second create with the same idempotency key answers the first task', () => {
    t = openTestCenter();
    const first = create({ idempotencyKey: 'backup-2026-11-30' });
    const again = create({ idempotencyKey: 'backup-2026-11-30', name: 'Other' });
    expect(again.id).toBe(first.id);
    expect(again.name).toBe('Nightly backup');
    expect(t.center.registry.snapshot().tasks).toHaveLength(1);
    t.center.submit({ url: 'https://files.example/k.bin', idempotencyKey: 'taken', paused: true });
    expect(() => create({ idempotencyKey: 'taken' })).toThrow(/already used by job/);
  });

  it("answers the earlier task only to whoever made it, and keeps plugins' keys for plugins", () => {
    t = openTestCenter();
    const plugin = (pluginName: string) => ({ kind: 'plugin', pluginName }) as const;
    expect(() => create({ idempotencyKey: 'plugin:backup:nightly' })).toThrow(/kept for plugins/);
    const mine = t.center.tasks.create(
      { name: 'Mine', metadata: { secret: 1 }, idempotencyKey: 'shared' },
      plugin('a'),
    );
    expect(t.center.tasks.create({ name: 'Again', idempotencyKey: 'shared' }, plugin('a')).id).toBe(mine.id);
    expect(() => t.center.tasks.create({ name: 'Theirs', idempotencyKey: 'shared' }, plugin('b'))).toThrow(
      `The idempotency key is already used by job ${mine.id}.`,
    );
    expect(() => create({ idempotencyKey: 'shared' })).toThrow(/already used by job/);
  });
});

describe('tasks: heartbeat, timeout and retries on the core clock', () => {
  it('fails as stalled when the creator is silent past heartbeatSec, and each report moves the deadline', () => {
    t = openTestCenter();
    const job = create({ heartbeatSec: 10, start: true });
    t.clock.advance(9_000);
    t.center.tasks.report({ id: job.id });
    t.clock.advance(9_000);
    expect(status(job.id)).toBe('running');
    t.clock.advance(1_500);
    const stalled = t.center.registry.get(job.id) as TaskJob;
    expect(stalled).toMatchObject({ status: 'failed', error: { kind: 'stalled' }, control: 'cancel' });
    // A late report is answered, not refused: the creator reads `cancel` and stops.
    expect(t.center.tasks.report({ id: job.id, progress: 90 })).toMatchObject({ status: 'failed', control: 'cancel' });
  });

  it('ends as timeout after timeoutSec of running; paused time does not count', () => {
    t = openTestCenter();
    const job = create({ timeoutSec: 5, start: true });
    t.clock.advance(3_000);
    t.center.pause(job.id);
    t.clock.advance(100_000);
    expect(status(job.id)).toBe('paused');
    t.center.resume(job.id);
    t.clock.advance(1_900);
    expect(status(job.id)).toBe('running');
    t.clock.advance(200);
    expect(t.center.registry.get(job.id)).toMatchObject({ status: 'timeout', error: { kind: 'timeout' } });
  });

  it('waits retryDelaySec between attempts, refuses an early start, and fails for good when retries run out', () => {
    t = openTestCenter();
    const job = create({ maxRetries: 1, retryDelaySec: 30, start: true });
    const waiting = t.center.tasks.fail(job.id, 'disk full');
    expect(waiting).toMatchObject({ status: 'pending', error: { kind: 'reported', message: 'disk full' } });
    expect(waiting.retryAt).toBe(t.clock.now() + 30_000);
    expect(() => t.center.tasks.start(job.id)).toThrow(/waits out its retry delay/);
    t.clock.advance(30_000);
    expect((t.center.registry.get(job.id) as TaskJob).message).toMatch(/Ready for attempt 2 of 2/);
    expect(t.center.tasks.start(job.id)).toMatchObject({ status: 'running', attempts: 2, retryAt: null });
    expect(t.center.tasks.fail(job.id, 'disk full again')).toMatchObject({ status: 'failed' });
  });
});

describe('tasks: control requests from any client', () => {
  it('reports pause, resume and cancel to the creator in `control`', () => {
    t = openTestCenter();
    const job = create({ start: true });
    t.center.pause(job.id);
    expect(t.center.tasks.report({ id: job.id, progress: 10 })).toMatchObject({
      status: 'paused',
      control: 'pause',
      progress: 10,
    });
    t.center.resume(job.id);
    expect(t.center.tasks.report({ id: job.id, progress: 20 })).toMatchObject({
      status: 'running',
      control: 'continue',
    });
    t.center.cancel(job.id);
    expect(t.center.tasks.report({ id: job.id, progress: 30 })).toMatchObject({
      status: 'cancelled',
      control: 'cancel',
      progress: 20,
    });
    expect(() => t.center.tasks.complete(job.id)).toThrow(/the task is cancelled/);
  });

  it('a paused task that had not started goes back to pending on resume', () => {
    t = openTestCenter();
    const job = create();
    t.center.pause(job.id);
    expect(t.center.resume(job.id)).toMatchObject({ status: 'pending', control: 'continue' });
  });
});

describe('tasks: suspend and resume', () => {
  it('answers conflict for a task that is not suspendable', () => {
    t = openTestCenter();
    const job = create({ start: true });
    expect(() => t.center.tasks.suspend(job.id)).toThrow(/not created with suspendable: true/);
    expect(status(job.id)).toBe('running');
  });

  it('stops at the next checkpoint with its state, and resumes with it, also after a restart', async () => {
    t = openTestCenter();
    const job = create({ suspendable: true, heartbeatSec: 60, start: true });
    t.center.tasks.report({ id: job.id, progress: 10, state: { row: 100 } });
    expect(t.center.tasks.suspend(job.id)).toMatchObject({ status: 'suspending', control: 'suspend' });
    const stopped = t.center.tasks.report({ id: job.id, progress: 25, state: { row: 250 } });
    expect(stopped).toMatchObject({ status: 'suspended', control: 'suspend', state: { row: 250 }, progress: 25 });
    // Suspended: no heartbeat is expected.
    t.clock.advance(3_600_000);
    expect(status(job.id)).toBe('suspended');
    t = await t.restart();
    expect(t.center.registry.get(job.id)).toMatchObject({ status: 'suspended', state: { row: 250 } });
    expect(t.center.resume(job.id)).toMatchObject({ status: 'pending', control: 'continue', state: { row: 250 } });
    expect(t.center.tasks.start(job.id)).toMatchObject({ status: 'running', attempts: 2, state: { row: 250 } });
  });

  it('a worker that suspends itself with its state is suspended at once', () => {
    t = openTestCenter();
    const job = create({ suspendable: true, start: true });
    expect(t.center.tasks.suspend(job.id, { page: 7 })).toMatchObject({ status: 'suspended', state: { page: 7 } });
  });
});

describe('tasks after a restart', () => {
  it('a running task waits for its creator; silent past the grace period it fails as stalled', async () => {
    t = openTestCenter({ taskRestartGraceSec: 120 });
    const quiet = create({ start: true });
    const talking = create({ start: true, name: 'Still here' });
    t = await t.restart();
    expect(status(quiet.id)).toBe('running');
    t.clock.advance(100_000);
    t.center.tasks.report({ id: talking.id, progress: 50 });
    t.clock.advance(30_000);
    expect(t.center.registry.get(quiet.id)).toMatchObject({ status: 'failed', error: { kind: 'stalled' } });
    expect(t.center.registry.get(talking.id)).toMatchObject({ status: 'running', progress: 50 });
    expect(t.center.getWithLog(quiet.id).log.join('\n')).toMatch(/Haul restarted: waiting 120 s/);
  });

  it('keeps a pending retry delay across a restart', async () => {
    t = openTestCenter();
    const job = create({ maxRetries: 2, retryDelaySec: 60, start: true });
    t.center.tasks.fail(job.id, 'network down');
    t = await t.restart();
    expect(() => t.center.tasks.start(job.id)).toThrow(/retry delay/);
    t.clock.advance(60_000);
    expect(t.center.tasks.start(job.id)).toMatchObject({ status: 'running', attempts: 2 });
  });
});
