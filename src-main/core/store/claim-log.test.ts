import { copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DownloadJob } from '../../../src-common/contract';
import { downloadJob } from '../../test/job-fixtures';
import { openTestCenter, settle, settleCompletions, type TestCenter } from '../../test/job-kit';
import { tempDir } from '../../test/temp-dir';
import { claimLogBound, ClaimLog, stateDigest } from './claim-log';
import { openDatabase } from './database';
import { JobStore, type StoredJob } from './job-store';

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

/**
 * What a SIGKILL leaves: the data folder's files as they are now, copied while the
 * process still runs (SQLite's committed frames in its WAL, the log's lines).
 */
function crashCopy(from: TestCenter): ReturnType<typeof tempDir> {
  const source = join(from.file, '..');
  const copy = tempDir();
  dirs.push(copy);
  for (const name of ['haul.db', 'haul.db-wal', logName]) {
    if (existsSync(join(source, name))) copyFileSync(join(source, name), join(copy.path, name));
  }
  return copy;
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

    const after = open(crashCopy(center));
    await settle();
    expect(after.engine.attempts[0]?.context.resumeState).toEqual(claimed);
  });

  it('gives way to a later state SQLite holds: a checkpoint after the claim is what a crash resumes from', async () => {
    const center = open();
    const { attempt } = await started(center);
    attempt.context.saveState(claimed, { fileName: 'a.bin' });
    const checkpoint = { ...claimed, segments: [{ start: 0, end: 99, pos: 50 }] };
    attempt.context.saveState(checkpoint);
    expect(logSize(center)).toBeGreaterThan(0);

    const after = open(crashCopy(center));
    await settle();
    expect(after.engine.attempts[0]?.context.resumeState).toEqual(checkpoint);
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

describe('claims applied after a crash', () => {
  const stored = (job: DownloadJob, resumeState: Record<string, unknown> | null): StoredJob => ({
    job,
    position: job.position,
    live: true,
    notBefore: null,
    resumeState,
  });

  function store(): JobStore {
    const dir = tempDir();
    dirs.push(dir);
    return new JobStore(openDatabase({ file: join(dir.path, 'haul.db') }));
  }

  it('only where SQLite still holds the state the claim replaced, and the download is not finished', () => {
    const jobs = store();
    const older = { fileName: 'old.bin', partName: 'old.bin.part' };
    jobs.insert(stored(downloadJob({ id: 'aaaa0001', status: 'pending', fileName: null }), null));
    jobs.insert(stored(downloadJob({ id: 'aaaa0002', status: 'pending', fileName: 'old.bin' }), older));
    jobs.insert(stored(downloadJob({ id: 'aaaa0003', status: 'completed', fileName: null }), null));
    const claim = (id: string, before: Record<string, unknown> | null) => ({
      id,
      before: stateDigest(before),
      resumeState: claimed,
      fileName: 'a.bin',
    });
    const applied = jobs.applyClaims([
      claim('aaaa0001', null), // SQLite holds what it replaced: taken
      claim('aaaa0002', null), // SQLite holds a state written after it: left
      claim('aaaa0003', null), // finished: left
      claim('aaaa0004', null), // no such job: left
    ]);
    expect(applied).toBe(1);
    expect(jobs.get('aaaa0001')).toMatchObject({ resumeState: claimed, job: { fileName: 'a.bin' } });
    expect(jobs.get('aaaa0002')).toMatchObject({ resumeState: older, job: { fileName: 'old.bin' } });
    expect(jobs.get('aaaa0003')).toMatchObject({ resumeState: null, job: { status: 'completed' } });
  });
});
