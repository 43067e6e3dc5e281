import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClosureRunner } from '../../test/closure-runner';
import { copyAsCrashed } from '../../test/crash-copy';
import { openTestCenter, settle, settleCompletions, type TestCenter } from '../../test/job-kit';
import { tempDir } from '../../test/temp-dir';
import { ManualClock } from '../clock';
import { JobCenter } from '../jobs/job-center';
import { SettingsStore } from '../settings';
import { claimLogBound, ClaimLog, stateDigest } from './claim-log';
import { openDatabase } from './database';

const dirs: ReturnType<typeof tempDir>[] = [];
const centers: TestCenter[] = [];
afterEach(async () => {
  for (const center of centers.splice(0)) await center.close();
  for (const dir of dirs.splice(0)) dir.remove();
});

const logName = 'haul-claims.log';

/** A job center on a fresh data folder with its claim log. */
function open(dir = tempDir()): TestCenter {
  if (!dirs.includes(dir)) dirs.push(dir);
  const center = openTestCenter({ dir, claimLogFile: join(dir.path, logName) });
  centers.push(center);
  return center;
}

/** A data folder as a SIGKILL of `from` would leave it now (see copyAsCrashed). */
function crashCopy(from: TestCenter): ReturnType<typeof tempDir> {
  const copy = tempDir();
  dirs.push(copy);
  copyAsCrashed(join(from.file, '..'), copy.path);
  return copy;
}

/** The resume state a center started on `from`'s crash copy hands its first attempt. */
async function resumedAfterCrash(from: TestCenter): Promise<unknown> {
  const after = open(crashCopy(from));
  await settle();
  return after.engine.attempts[0]?.context.resumeState;
}

const claimed = { v: 1, fileName: 'a.bin', partName: 'a.bin.part' };

/** A download started by the center's scripted engine, and its attempt. */
async function started(center: TestCenter) {
  const [job] = center.center.submit({ url: 'https://files.example/a.bin' }).jobs;
  await settle();
  const attempt = center.engine.attempts.at(-1)!;
  return { id: job!.id, attempt };
}

function logSize(center: TestCenter): number {
  return statSync(join(center.file, '..', logName)).size;
}

describe('the claim log', () => {
  it('makes a claim durable before saveState returns, without a commit: a crash then finds it', async () => {
    const center = open();
    const { id, attempt } = await started(center);
    attempt.context.saveState(claimed, { fileName: 'a.bin' });
    expect(logSize(center)).toBeGreaterThan(0);

    const after = open(crashCopy(center));
    await settle();
    expect(after.center.registry.stored(id)?.job).toMatchObject({ fileName: 'a.bin' });
    // Recovered and started again, with the claim to resume from.
    expect(after.engine.attempts[0]?.context.resumeState).toEqual(claimed);
    // The claim is in the log only: SQLite had no commit for it.
    const row = center.db.prepare('SELECT resume_state FROM jobs WHERE id = ?').get(id) as { resume_state: null };
    expect(row.resume_state).toBeNull();
  });

  it("is emptied once SQLite holds the claim with the job's next write", async () => {
    const center = open();
    const { attempt } = await started(center);
    attempt.context.saveState(claimed, { fileName: 'a.bin' });
    expect(logSize(center)).toBeGreaterThan(0);
    center.clock.advance(1000); // the held changes' flush
    expect(logSize(center)).toBe(0);
    expect(await resumedAfterCrash(center)).toEqual(claimed);
  });

  it('gives way to a later state SQLite holds: a checkpoint after the claim is what a crash resumes from', async () => {
    const center = open();
    const { attempt } = await started(center);
    attempt.context.saveState(claimed, { fileName: 'a.bin' });
    const checkpoint = { ...claimed, segments: [{ start: 0, end: 99, pos: 50 }] };
    attempt.context.saveState(checkpoint);
    expect(logSize(center)).toBeGreaterThan(0);
    expect(await resumedAfterCrash(center)).toEqual(checkpoint);
  });

  it('leaves a finished download as SQLite holds it, and the log empty after its completion', async () => {
    const center = open();
    const { id, attempt } = await started(center);
    attempt.context.saveState(claimed, { fileName: 'a.bin' });
    attempt.succeed();
    await settleCompletions(center.clock);
    expect(center.center.registry.stored(id)?.job.status).toBe('completed');
    expect(logSize(center)).toBe(0);
  });

  it('takes the last claim of each job, and skips a torn line', () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir.path, logName);
    const line = (fileName: string) =>
      JSON.stringify({ id: 'aaaa0001', before: 'null', resumeState: { fileName }, fileName });
    writeFileSync(file, `${line('one.bin')}\n${line('two.bin')}\n{"id":"aaaa0002","bef`);
    expect(new ClaimLog(file).readClaims().map((c) => c.fileName)).toEqual(['two.bin']);
    // A log left over that is past the bound counts as full once read.
    writeFileSync(file, `${line('one.bin')}\n`.repeat(Math.ceil(claimLogBound / 40)));
    const left = new ClaimLog(file);
    expect(left.full).toBe(false);
    left.readClaims();
    expect(left.full).toBe(true);
  });

  it('writes the claim to SQLite when the log cannot be written', async () => {
    const dir = tempDir();
    mkdirSync(join(dir.path, logName)); // a folder where the log should be
    const center = open(dir);
    const { id, attempt } = await started(center);
    attempt.context.saveState(claimed, { fileName: 'a.bin' });
    const row = center.db.prepare('SELECT resume_state, data FROM jobs WHERE id = ?').get(id) as {
      resume_state: string;
      data: string;
    };
    expect(JSON.parse(row.resume_state)).toEqual(claimed);
    expect(JSON.parse(row.data)).toMatchObject({ fileName: 'a.bin' });
  });

  it('is bounded: past its bound, the claims are written to SQLite and the log emptied', async () => {
    const center = open();
    const { id, attempt } = await started(center);
    const big = { ...claimed, padding: 'x'.repeat(64 * 1024) };
    let largest = 0;
    let n = 0;
    for (; n < 100; n += 1) {
      attempt.context.saveState({ ...big, n }, { fileName: 'a.bin' });
      const size = logSize(center);
      if (size < largest) break;
      largest = size;
    }
    expect(largest).toBeLessThanOrEqual(claimLogBound);
    expect(largest + 64 * 1024).toBeGreaterThan(claimLogBound);
    expect(logSize(center)).toBe(0);
    const row = center.db.prepare('SELECT resume_state FROM jobs WHERE id = ?').get(id) as { resume_state: string };
    expect(JSON.parse(row.resume_state)).toMatchObject({ n });
  });
});

describe('claims taken after a crash', () => {
  /** A data folder whose log has a claim, made before the digest of `before`, for each job named. */
  function logClaims(
    dir: ReturnType<typeof tempDir>,
    claims: { id: string; before: Record<string, unknown> | null }[],
  ) {
    const log = new ClaimLog(join(dir.path, logName));
    for (const { id, before } of claims) {
      expect(log.append({ id, before: stateDigest(before), resumeState: claimed, fileName: 'a.bin' })).toBe(true);
    }
    log.close();
  }

  it('only where SQLite still holds the state the claim replaced, and the download is live and not finished', async () => {
    const first = open();
    const older = { v: 1, fileName: 'old.bin', partName: 'old.bin.part' };
    const [fresh, checkpointed, finished] = first.center.submit({
      url: 'https://files.example/1.bin\nhttps://files.example/2.bin\nhttps://files.example/3.bin',
    }).jobs;
    await settle();
    const attempts = first.engine.attempts;
    attempts[1]!.context.saveState(older); // SQLite holds a state written after the claim below
    attempts[2]!.succeed();
    await settleCompletions(first.clock);
    attempts[0]!.fail(new Error('stopped'));
    await first.close();
    centers.splice(centers.indexOf(first), 1);
    const dir = dirs[0]!;
    logClaims(dir, [
      { id: fresh!.id, before: null },
      { id: checkpointed!.id, before: null },
      { id: finished!.id, before: null },
      { id: 'ffffffff', before: null },
    ]);

    const after = open(dir);
    const stored = (id: string) => after.center.registry.stored(id);
    expect(stored(fresh!.id)).toMatchObject({ resumeState: claimed, job: { fileName: 'a.bin' } });
    expect(stored(checkpointed!.id)).toMatchObject({ resumeState: older });
    expect(stored(finished!.id)).toMatchObject({ resumeState: null, job: { status: 'completed' } });
    // Taken claims are in SQLite at once, and the log is empty again.
    const row = after.db.prepare('SELECT resume_state FROM jobs WHERE id = ?').get(fresh!.id) as {
      resume_state: string;
    };
    expect(JSON.parse(row.resume_state)).toEqual(claimed);
    expect(logSize(after)).toBe(0);
  });

  it('holds a claim it takes while SQLite cannot be written, and keeps it in the log until it can', async () => {
    const first = open();
    const [job] = first.center.submit({ url: 'https://files.example/1.bin' }).jobs;
    await first.close();
    centers.splice(centers.indexOf(first), 1);
    const dir = dirs[0]!;
    logClaims(dir, [{ id: job!.id, before: null }]);

    const db = openDatabase({ file: join(dir.path, 'haul.db') });
    const center = new JobCenter({
      db,
      settings: new SettingsStore(db),
      downloadDir: join(dir.path, 'downloads'),
      downloadRunner: (context) =>
        new Promise((_, reject) => context.signal.addEventListener('abort', () => reject(context.signal.reason))),
      pluginRunner: new ClosureRunner(),
      clock: new ManualClock(),
      claimLogFile: join(dir.path, logName),
    });
    const full = vi.spyOn(center.store, 'save').mockImplementation(() => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    });
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(() => center.start()).not.toThrow();
      expect(center.registry.stored(job!.id)).toMatchObject({ resumeState: claimed });
      expect(statSync(join(dir.path, logName)).size).toBeGreaterThan(0);
      full.mockRestore();
      center.registry.flushProgress();
      expect(statSync(join(dir.path, logName)).size).toBe(0);
      const row = db.prepare('SELECT resume_state FROM jobs WHERE id = ?').get(job!.id) as { resume_state: string };
      expect(JSON.parse(row.resume_state)).toEqual(claimed);
    } finally {
      warned.mockRestore();
      await center.close();
      db.close();
    }
  });
});
