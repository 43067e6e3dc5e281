import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DownloadJob, DownloadOptions } from '../../../src-common/contract';
import { downloadJob } from '../../test/job-fixtures';
import { createDownloadEngine, type DownloadEngineOptions } from './engine';
import type { DownloadContext, DownloadProgress, DownloadRunner, ResumeState } from '../jobs/runner';

/** A job context for tests: records what the engine reports, aborts on demand. */
export interface TestContext {
  ctx: DownloadContext;
  controller: AbortController;
  states: ResumeState[];
  /** The states saved durably: all a SIGKILL before the first checkpoint leaves. */
  durable: ResumeState[];
  progress: DownloadProgress[];
  logs: string[];
  processing: boolean;
  /** The last saved state, as the job core would hand it to the next attempt. */
  lastState(): ResumeState | null;
}

export function testJob(url: string, dir: string, options: DownloadOptions = {}): DownloadJob {
  return downloadJob({ id: 'abcdef01', startedAt: 0, connections: 0, url, fileName: null, dir, options });
}

/**
 * The engine as the tests run it: no proxy, small segments, quick ramp and progress, and
 * a SHA-256 of each file in its outcome, by which the tests check the bytes (the app's
 * default leaves it out; tests of that say `fingerprint: false`).
 */
export function testEngine(overrides: DownloadEngineOptions = {}): DownloadRunner {
  return createDownloadEngine({
    proxy: null,
    fingerprint: true,
    minSegmentBytes: 64 * 1024,
    rampIntervalMs: 50,
    progressIntervalMs: 10,
    ...overrides,
  });
}

export function makeContext(job: DownloadJob, resumeState: ResumeState | null = null): TestContext {
  const controller = new AbortController();
  const result: TestContext = {
    controller,
    states: [],
    durable: [],
    progress: [],
    logs: [],
    processing: false,
    lastState: () => result.states.at(-1) ?? resumeState,
    ctx: {
      job,
      signal: controller.signal,
      resumeState,
      saveState: (state, durable) => {
        result.states.push(structuredClone(state));
        if (durable) result.durable.push(structuredClone(state));
      },
      progress: (update) => result.progress.push(update),
      log: (line) => result.logs.push(line),
      enterProcessing: () => {
        result.processing = true;
      },
    },
  };
  return result;
}

export const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'haul-dl-'));

/**
 * A main thread that reads as never busy (the engine's `loopTime`): for tests of the ramp
 * that are not about a busy thread, so the rest of the suite running beside them on two
 * cores does not settle a download on one connection (it tries again only 3 s later).
 */
export const idleThread = (): { active: number; idle: number } => ({ active: 0, idle: performance.now() });

export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

export async function fileSha256(path: string): Promise<string> {
  return sha256(await readFile(path));
}

/** Incompressible test content of `size` bytes. */
export const randomBody = (size: number): Buffer => randomBytes(size);

/** Polls `condition` every 10 ms, at most `tries` times; false when it never held. */
export async function waitFor(condition: () => boolean, tries = 1000): Promise<boolean> {
  for (let i = 0; i < tries; i += 1) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return condition();
}

/** Runs a download to its end, returning the outcome or the thrown value. */
export async function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}
