import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a running instance tells local clients (the CLI): where to reach it. */
export interface InstanceInfo {
  port: number;
  pid: number;
}

/** `<data-dir>/server.json`: written when the API listens, removed when it stops. */
export function instanceFilePath(dataDir: string): string {
  return join(dataDir, 'server.json');
}

export function writeInstanceFile(dataDir: string, info: InstanceInfo): void {
  writeFileSync(instanceFilePath(dataDir), `${JSON.stringify(info)}\n`, { mode: 0o600 });
}

/** The file's contents, or undefined when it is missing or not ours to read. */
export function readInstanceFile(dataDir: string): InstanceInfo | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(instanceFilePath(dataDir), 'utf8'));
  } catch {
    return undefined;
  }
  const { port, pid } = (parsed ?? {}) as Partial<InstanceInfo>;
  if (!Number.isInteger(port) || port! <= 0 || port! > 65535 || !Number.isInteger(pid)) return undefined;
  return { port: port!, pid: pid! };
}

/** Removes the file only when it still names this process: a second instance may own it now. */
export function removeInstanceFile(dataDir: string, pid = process.pid): void {
  if (readInstanceFile(dataDir)?.pid === pid) rmSync(instanceFilePath(dataDir), { force: true });
}

/**
 * The instance that another live process runs on this data folder, if any. A file left by
 * a crash can name a process id that another program has since been given (after a
 * restart of the machine, most likely): the instance counts only if its port also still
 * answers as Haul does. An answer that does not come in time counts as Haul (busy): two
 * instances on one data folder would both run its jobs.
 */
export async function runningInstance(
  dataDir: string,
  answers: (port: number) => Promise<boolean> = answersAsHaul,
): Promise<InstanceInfo | undefined> {
  const info = readInstanceFile(dataDir);
  if (!info || info.pid === process.pid) return undefined;
  try {
    process.kill(info.pid, 0); // signal 0: only asks whether the process exists
  } catch (error) {
    // EPERM: it exists but belongs to someone else; ESRCH: a stale file from a crash.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  return (await answers(info.port)) ? info : undefined;
}

/** Whether Haul's liveness route answers on `port`; false when nothing listens there or another program does. */
export async function answersAsHaul(port: number, timeoutMs = 3000): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json()) as { ok?: unknown } | null;
    return response.ok && body?.ok === true;
  } catch (error) {
    return (error as Error).name === 'TimeoutError';
  }
}
