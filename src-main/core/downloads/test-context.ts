import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DownloadJob, DownloadOptions } from '../../../src-preload/contract';
import type { DownloadContext, DownloadProgress, ResumeState } from '../jobs/runner';

/** A job context for tests: records what the engine reports, aborts on demand. */
export interface TestContext {
  ctx: DownloadContext;
  controller: AbortController;
  states: ResumeState[];
  progress: DownloadProgress[];
  logs: string[];
  processing: boolean;
  /** The last saved state, as the job core would hand it to the next attempt. */
  lastState(): ResumeState | null;
}

export function testJob(url: string, dir: string, options: DownloadOptions = {}): DownloadJob {
  return {
    id: 'abcdef01',
    source: 'download',
    status: 'downloading',
    progress: 0,
    message: '',
    createdAt: 0,
    startedAt: 0,
    finishedAt: null,
    updatedAt: 0,
    attempts: 1,
    maxAttempts: 5,
    error: null,
    result: null,
    idempotencyKey: null,
    url,
    finalUrl: null,
    fileName: null,
    dir,
    totalBytes: null,
    receivedBytes: 0,
    speed: 0,
    eta: null,
    connections: 0,
    resourceId: null,
    priority: 0,
    position: 0,
    options,
  };
}

export function makeContext(job: DownloadJob, resumeState: ResumeState | null = null): TestContext {
  const controller = new AbortController();
  const result: TestContext = {
    controller,
    states: [],
    progress: [],
    logs: [],
    processing: false,
    lastState: () => result.states.at(-1) ?? resumeState,
    ctx: {
      job,
      signal: controller.signal,
      resumeState,
      saveState: (state) => result.states.push(structuredClone(state)),
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
