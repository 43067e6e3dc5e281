import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { ResumeState } from '../jobs/runner';
import { Checkpoints, type Schedule } from './checkpoints';
import { PartFile } from './part-file';
import { bootId } from './boot-id';
import { JobFailure } from '../jobs/runner';
import { decodeState, type TransferState } from './resume-state';
import { tempDir } from './test-context';

const MiB = 1024 * 1024;

/** Timers run by hand: `due` holds what is scheduled, `cancelled` counts cancels. */
function manualSchedule(): { schedule: Schedule; due: { fn: () => void; ms: number }[]; cancelled: number } {
  const box = { due: [] as { fn: () => void; ms: number }[], cancelled: 0, schedule: null as unknown as Schedule };
  box.schedule = (fn, ms) => {
    const entry = { fn, ms };
    box.due.push(entry);
    return () => {
      box.cancelled += 1;
      box.due = box.due.filter((e) => e !== entry);
    };
  };
  return box;
}

async function setup(
  schedule?: Schedule,
  pos = 0,
  record: { save?: (state: ResumeState) => void; fail?: (error: unknown) => void } = {},
): Promise<{
  checkpoints: Checkpoints;
  saved: ResumeState[];
  clock: { t: number };
  segment: { start: number; end: number; pos: number };
  part: PartFile;
}> {
  const part = await PartFile.create(join(await tempDir(), 'c.part'));
  await part.write([Buffer.alloc(64, 1)], 0);
  const segment = { start: 0, end: 16 * MiB, pos };
  const state: TransferState = {
    fileName: 'c',
    partName: 'c.part',
    url: 'http://127.0.0.1/c',
    totalBytes: 16 * MiB,
    etag: '"x"',
    lastModified: null,
    contentType: null,
    resumable: true,
    segments: [],
  };
  const clock = { t: 0 };
  const saved: ResumeState[] = [];
  const checkpoints = new Checkpoints(
    { now: () => clock.t, checkpointIntervalMs: 250, checkpointBytes: 2 * MiB },
    { state, part, segments: [segment] },
    record.save ?? ((s) => saved.push(s)),
    record.fail ??
      ((error) => {
        throw error;
      }),
    // Timers run only when a test runs them: the clock is the test's too.
    schedule ?? manualSchedule().schedule,
  );
  checkpoints.restart();
  return { checkpoints, saved, clock, segment, part };
}

describe('checkpoints', () => {
  it('refuses to record a checkpoint of a part file deleted since the last one', async () => {
    const { checkpoints, saved, segment, part } = await setup();
    segment.pos = 32;
    await checkpoints.run(true);
    expect(saved).toHaveLength(1);
    segment.pos = 64;
    await unlink(part.path);
    const error = await checkpoints.run(true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailure);
    expect(error).toMatchObject({ kind: 'disk', message: expect.stringMatching(/partial file was deleted/) });
    expect(saved).toHaveLength(1);
    await part.close();
  });

  it('syncs once enough bytes landed, and records written offsets between syncs without one', async () => {
    const { checkpoints, saved, clock, segment, part } = await setup();
    clock.t = 2;
    segment.pos = MiB / 2;
    checkpoints.landed(MiB / 2);
    expect(saved).toHaveLength(0);
    // 5 ms on: the written offsets, and the round's first sync is asked for.
    clock.t = 5;
    segment.pos = MiB;
    checkpoints.landed(MiB / 2);
    expect(saved).toHaveLength(1);
    expect(saved[0]!['written']).toMatchObject({ segments: [[0, 16 * MiB, MiB]] });
    // Before that sync ends, no byte of the round counts as durable.
    expect(saved[0]!['segments']).toEqual([[0, 16 * MiB, 0]]);
    await checkpoints.settled();
    expect(saved).toHaveLength(2);
    expect(saved[1]!['segments']).toEqual([[0, 16 * MiB, MiB]]);
    // Within 5 ms of the last mark: nothing; after: the written offsets, the synced ones unchanged.
    clock.t = 8;
    segment.pos = 1.5 * MiB;
    checkpoints.landed(MiB / 2);
    expect(saved).toHaveLength(2);
    clock.t = 10;
    segment.pos = 1.75 * MiB;
    checkpoints.landed(MiB / 4);
    expect(saved).toHaveLength(3);
    expect(saved[2]!['segments']).toEqual([[0, 16 * MiB, MiB]]);
    expect(saved[2]!['written']).toMatchObject({ segments: [[0, 16 * MiB, 1.75 * MiB]] });
    // Two MiB since the last sync: a sync, which records them as synced.
    clock.t = 130;
    segment.pos = 3 * MiB;
    checkpoints.landed(1.25 * MiB);
    await checkpoints.settled();
    expect(saved).toHaveLength(4);
    expect(saved[3]!['segments']).toEqual([[0, 16 * MiB, 3 * MiB]]);
    await part.close();
  });

  it('a mark made before the round is synced resumes a kill from its bytes, a system crash from zero', async () => {
    const { checkpoints, saved, clock, segment, part } = await setup();
    clock.t = 10;
    segment.pos = MiB;
    checkpoints.landed(MiB);
    const early = saved[0]!;
    const boot = (early['written'] as { boot: string }).boot;
    expect(decodeState(early)?.segments).toEqual([{ start: 0, end: 16 * MiB, pos: MiB }]);
    expect(decodeState(early, `${boot}-other`)?.segments).toEqual([{ start: 0, end: 16 * MiB, pos: 0 }]);
    await checkpoints.settled();
    await part.close();
  });

  it('resumes from written offsets in the same boot only; after a restart from synced ones', async () => {
    const { checkpoints, saved, clock, segment, part } = await setup();
    for (const [t, pos] of [
      [60, MiB],
      [120, 1.5 * MiB],
    ] as const) {
      clock.t = t;
      segment.pos = pos;
      checkpoints.landed(MiB / 2);
      await checkpoints.settled();
    }
    const state = saved.at(-1)!;
    const boot = (state['written'] as { boot: string }).boot;
    expect(boot).toBe(bootId());
    expect(decodeState(state)?.segments).toEqual([{ start: 0, end: 16 * MiB, pos: 1.5 * MiB }]);
    expect(decodeState(state, `${boot}-other`)?.segments).toEqual([{ start: 0, end: 16 * MiB, pos: MiB }]);
    // Written offsets that do not tile the file are not trusted either.
    const broken = { ...state, written: { boot, segments: [[0, MiB, MiB]] } };
    expect(decodeState(broken)?.segments).toEqual([{ start: 0, end: 16 * MiB, pos: MiB }]);
    await part.close();
  });

  it("hands a refused save of a timer's mark to `fail`, where a throw would end the process", async () => {
    const timers = manualSchedule();
    const failures: unknown[] = [];
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const refuse = () => {
      throw full;
    };
    const { checkpoints, clock, segment, part } = await setup(timers.schedule, 0, {
      save: refuse,
      fail: (error) => failures.push(error),
    });
    clock.t = 10;
    segment.pos = 1000;
    checkpoints.landed(1000);
    await checkpoints.settled();
    // The marks of a burst, then none left: the next is made by the timer.
    for (const t of [10, 11]) {
      clock.t = t;
      segment.pos += 1000;
      checkpoints.landed(1000);
    }
    failures.length = 0;
    clock.t = 12;
    segment.pos += 1000;
    checkpoints.landed(1000);
    expect(timers.due).toHaveLength(1);
    clock.t = 15;
    expect(() => timers.due[0]!.fn()).not.toThrow();
    expect(failures).toEqual([full]);
    await part.close();
  });

  it('saves on the interval when bytes come slowly, and not when nothing moved', async () => {
    const { checkpoints, saved, clock, segment, part } = await setup();
    segment.pos = 1000;
    checkpoints.landed(1000);
    clock.t = 249;
    checkpoints.tick();
    await checkpoints.settled();
    expect(saved).toHaveLength(0);
    clock.t = 250;
    checkpoints.tick();
    await checkpoints.settled();
    expect(saved).toHaveLength(1);
    clock.t = 600;
    checkpoints.tick();
    await checkpoints.settled();
    expect(saved).toHaveLength(1);
    await part.close();
  });

  it('runs one checkpoint at a time with at most one waiting, however often bytes land', async () => {
    const { checkpoints, saved, clock, segment, part } = await setup();
    for (let i = 1; i <= 20; i += 1) {
      clock.t += 100;
      segment.pos = i * 2 * MiB > 16 * MiB ? 16 * MiB : i * 2 * MiB;
      checkpoints.landed(2 * MiB);
    }
    await checkpoints.settled();
    expect(saved.length).toBeLessThanOrEqual(2);
    expect(saved.at(-1)!['segments']).toEqual([[0, 16 * MiB, 16 * MiB]]);
    await part.close();
  });

  it('marks four batches at once after a quiet spell, then one every 5 ms; the rest once the gap is over, and nothing after stop', async () => {
    const timers = manualSchedule();
    const { checkpoints, saved, clock, segment, part } = await setup(timers.schedule);
    // A server's bursts on four connections, landing within 2 ms: each one marked at once.
    const marks = (): number => saved.filter((s) => s['written'] !== undefined).length;
    for (const [i, t] of [100, 100.5, 101, 101.5].entries()) {
      clock.t = t;
      segment.pos = (i + 1) * (MiB / 4);
      checkpoints.landed(MiB / 4);
      expect(marks()).toBe(i + 1);
    }
    expect(saved.at(-1)!['written']).toMatchObject({ segments: [[0, 16 * MiB, MiB]] });
    await checkpoints.settled();
    const before = saved.length;
    // A fifth batch 0.5 ms later: too soon, so a mark is due once a gap's credit is back.
    clock.t = 102;
    segment.pos = 1.25 * MiB;
    checkpoints.landed(MiB / 4);
    expect(saved).toHaveLength(before);
    expect(timers.due).toHaveLength(1);
    expect(timers.due[0]!.ms).toBeCloseTo(3);
    // More bytes in the same gap: still one mark due.
    clock.t = 103;
    segment.pos = 1.5 * MiB;
    checkpoints.landed(MiB / 4);
    expect(timers.due).toHaveLength(1);
    // Nothing else lands: the timer records them.
    clock.t = 105;
    timers.due.shift()!.fn();
    expect(saved).toHaveLength(before + 1);
    expect(saved.at(-1)!['written']).toMatchObject({ segments: [[0, 16 * MiB, 1.5 * MiB]] });
    // A stopped round schedules nothing and a timer already due records nothing.
    clock.t = 106;
    segment.pos = 1.75 * MiB;
    checkpoints.landed(MiB / 4);
    const pending = timers.due.shift()!;
    checkpoints.stop();
    pending.fn();
    clock.t = 140;
    checkpoints.landed(MiB / 4);
    expect(saved).toHaveLength(before + 1);
    expect(timers.due).toHaveLength(0);
    await part.close();
  });

  it('records no more than one mark every 5 ms on average while bytes land without a pause', async () => {
    const { checkpoints, saved, clock, segment, part } = await setup();
    // A batch every 0.25 ms for a second.
    for (let i = 1; i <= 4000; i += 1) {
      clock.t = i / 4;
      segment.pos = Math.min(16 * MiB, i * 1024);
      checkpoints.landed(1024);
    }
    await checkpoints.settled();
    const saves = saved.filter((s) => s['written'] !== undefined).length;
    expect(saves).toBeGreaterThanOrEqual(195);
    expect(saves).toBeLessThanOrEqual(204);
    await part.close();
  });

  it('before its first sync, a resumed round claims what the earlier attempt synced and no more', async () => {
    const timers = manualSchedule();
    const { checkpoints, saved, clock, segment, part } = await setup(timers.schedule, 3 * MiB);
    // The saved state synced 2 MiB; the part file (segment) holds 3 MiB written since.
    checkpoints.restart([{ start: 0, end: 16 * MiB, pos: 2 * MiB }]);
    clock.t = 10;
    segment.pos = 4 * MiB;
    checkpoints.landed(MiB);
    const early = saved[0]!;
    expect(early['segments']).toEqual([[0, 16 * MiB, 2 * MiB]]);
    const boot = (early['written'] as { boot: string }).boot;
    expect(decodeState(early, `${boot}-other`)?.segments).toEqual([{ start: 0, end: 16 * MiB, pos: 2 * MiB }]);
    await checkpoints.settled();
    // A claim the round's bytes do not back (a part file found shorter) claims nothing.
    checkpoints.restart([{ start: 0, end: 16 * MiB, pos: 8 * MiB }]);
    clock.t = 30;
    segment.pos = 4.5 * MiB;
    checkpoints.landed(MiB / 2);
    expect(saved.at(-1)!['segments']).toEqual([[0, 16 * MiB, 0]]);
    await checkpoints.settled();
    await part.close();
  });

  it('syncs once more near the end, so the last sync has little left to write', async () => {
    const { checkpoints, clock, segment, part } = await setup(undefined, 14 * MiB);
    const syncs = vi.spyOn(part, 'sync');
    // The round's first mark asks for its first sync.
    clock.t = 10;
    segment.pos = 14 * MiB + MiB / 8;
    checkpoints.landed(MiB / 8);
    await checkpoints.settled();
    expect(syncs).toHaveBeenCalledTimes(1);
    // 1.7 MiB since, under the 2 MiB that ask for a sync, but 0.2 MiB left of the file.
    clock.t = 100;
    segment.pos = 15.8 * MiB;
    checkpoints.landed(15.8 * MiB - (14 * MiB + MiB / 8));
    await checkpoints.settled();
    expect(syncs).toHaveBeenCalledTimes(2);
    // The last bytes: too few since that sync for another.
    clock.t = 200;
    segment.pos = 16 * MiB;
    checkpoints.landed(0.2 * MiB);
    await checkpoints.settled();
    expect(syncs).toHaveBeenCalledTimes(2);
    await part.close();
  });
});
